#include "catalog/device_profile.hpp"

#include <filesystem>

#include "common/error.hpp"
#include "common/strings.hpp"

namespace edgeml::catalog {

DeviceProfile default_profile(const std::string& device_type) {
  // Plausible whole-board draw while running inference (see ../shared/data/README.md):
  // a loaded Jetson Nano draws 2-10 W; a Raspberry Pi 5 1.5-12 W.
  if (device_type == "jetson_nano") return {device_type, 2.0, 10.0, 500};
  if (device_type == "rpi5") return {device_type, 1.5, 12.0, 500};
  return {device_type, 0.1, 1000.0, 500};
}

std::string device_type_from_filename(const std::string& filename) {
  std::string name = to_lower(std::filesystem::path(filename).filename().string());
  if (name.find("jetson") != std::string::npos) return "jetson_nano";
  if (name.find("rpi5") != std::string::npos || name.find("raspberry") != std::string::npos) return "rpi5";
  std::string stem = to_lower(std::filesystem::path(filename).stem().string());
  std::string out;
  for (char c : stem) out += (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-') ? c : '_';
  return out.empty() ? "unknown" : out.substr(0, 64);
}

std::string normalize_device_type(const std::string& s) {
  std::string v = to_lower(trim(s));
  if (v.empty() || v.size() > 64) throw FieldError("device_type", "device_type must be 1-64 characters");
  for (char c : v)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-'))
      throw FieldError("device_type", "device_type may contain only letters, digits, '_' and '-'");
  return v;
}

}  // namespace edgeml::catalog
