#include "agent/device_identity.hpp"

#include <fstream>
#include <sstream>

#include "common/strings.hpp"

namespace edgeml::agent {

namespace fs = std::filesystem;

namespace {
// Device-tree strings end in NUL; sysfs values in a newline.
std::string read_text(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return "";
  std::string s((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (s.size() > 256) s.resize(256);
  s = s.substr(0, s.find('\0'));
  std::string out;
  for (char c : s) out += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? ' ' : c;
  return std::string(trim(out));
}
}  // namespace

std::string device_type_for_model(const std::string& model) {
  const std::string m = to_lower(model);
  // Most specific first: "Jetson Orin Nano" also contains "Nano".
  static const std::pair<const char*, const char*> known[] = {
      {"orin nano", "jetson_orin_nano"}, {"orin nx", "jetson_orin_nx"},       {"agx orin", "jetson_agx_orin"},
      {"xavier nx", "jetson_xavier_nx"}, {"agx xavier", "jetson_agx_xavier"}, {"jetson nano", "jetson_nano"},
      {"raspberry pi 5", "rpi5"},        {"raspberry pi 4", "rpi4"},          {"raspberry pi 3", "rpi3"}};
  for (const auto& [needle, type] : known)
    if (m.find(needle) != std::string::npos) return type;
  std::string out;
  for (char c : m) {
    if (std::isalnum(static_cast<unsigned char>(c)))
      out += c;
    else if (!out.empty() && out.back() != '_')
      out += '_';
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  if (out.size() > 64) out.resize(64);
  return out.empty() ? "unknown" : out;
}

DeviceIdentity read_device_identity(const fs::path& sysfs_root, const fs::path& procfs_root,
                                    const fs::path& machine_id_file) {
  DeviceIdentity id;
  std::string mid = read_text(machine_id_file);
  bool hex = !mid.empty() && mid.size() <= 128;
  for (char c : mid) hex = hex && std::isxdigit(static_cast<unsigned char>(c));
  id.machine_id = hex ? to_lower(mid) : "";
  for (const auto& file : {sysfs_root / "firmware/devicetree/base/model", procfs_root / "device-tree/model",
                           sysfs_root / "class/dmi/id/product_name"}) {
    id.model = read_text(file);
    if (!id.model.empty()) {
      id.model_source = file.string();
      break;
    }
  }
  if (id.model.empty()) id.model_source = "no device-tree model and no DMI product name";
  id.device_type = device_type_for_model(id.model);
  return id;
}

}  // namespace edgeml::agent
