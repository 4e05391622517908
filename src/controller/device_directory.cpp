#include "controller/device_directory.hpp"

namespace edgeml::controller {

std::optional<store::Device> DeviceDirectory::by_name(const std::string& name) {
  double now = clock_.monotonic_s();
  {
    std::lock_guard lock(mu_);
    if (auto it = known_.find(name); it != known_.end()) return it->second;
    if (auto it = unknown_until_.find(name); it != unknown_until_.end() && it->second > now) return std::nullopt;
  }
  auto d = db_.devices().by_name(name);
  std::lock_guard lock(mu_);
  if (d) {
    unknown_until_.erase(name);
    known_[name] = *d;
  } else {
    if (unknown_until_.size() > 10000) unknown_until_.clear();  // bounded, whatever strangers send
    unknown_until_[name] = now + 1.0;
  }
  return d;
}

}  // namespace edgeml::controller
