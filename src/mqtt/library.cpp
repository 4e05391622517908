#include "mqtt/library.hpp"

#include <mosquitto.h>

#include <mutex>

namespace edgeml::mqtt {

void ensure_library() {
  static std::once_flag once;
  // mosquitto_lib_cleanup is never called: clients may live until exit, and the OS reclaims the rest.
  std::call_once(once, [] { mosquitto_lib_init(); });
}

}  // namespace edgeml::mqtt
