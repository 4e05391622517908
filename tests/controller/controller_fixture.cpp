#include "controller_fixture.hpp"

namespace edgeml::testing {

ControllerEnv& ControllerEnv::get() {
  static ControllerEnv env;
  return env;
}

ControllerEnv::ControllerEnv() : service_(deploy_test::start_controller(deploy_test::controller_state("api", false))) {}

JsonReply get_json(const std::string& path) { return ControllerEnv::get().service().get(path); }
JsonReply post_json(const std::string& path, const std::string& body) {
  return ControllerEnv::get().service().post_raw(path, body);
}

}  // namespace edgeml::testing
