#pragma once
// Registered devices by name, for the MQTT side (a topic names its device): cached, read from the store on a miss. A
// name the store does not know is remembered as unknown for a second, so a stranger publishing fast does not turn each
// message into a query, while a device registered a moment ago is found within a second. Thread-safe.
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "common/clock.hpp"
#include "store/store.hpp"

namespace edgeml::controller {

class DeviceDirectory {
 public:
  DeviceDirectory(store::Store& db, const Clock& clock) : db_(db), clock_(clock) {}
  std::optional<store::Device> by_name(const std::string& name);

 private:
  store::Store& db_;
  const Clock& clock_;
  std::mutex mu_;
  std::map<std::string, store::Device> known_;
  std::map<std::string, double> unknown_until_;
};

}  // namespace edgeml::controller
