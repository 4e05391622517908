#include "controller_fixture.hpp"

#include <filesystem>

namespace edgeml::testing {

ControllerEnv& ControllerEnv::get() {
  static ControllerEnv env;
  return env;
}

ControllerEnv::ControllerEnv() {
  // The state folder persists between test binaries of one build, so trained predictors are reused (the controller
  // retrains only when the data's fingerprint changes).
  state_ = std::string(EDGEML_BIN_DIR) + "/../test-state/controller";
  std::filesystem::create_directories(state_);
  proc_ = std::make_unique<ChildProcess>(std::vector<std::string>{
      bin("edgeml-controller"), "--host", "127.0.0.1", "--port", "0", "--data", EDGEML_SHARED_DATA, "--state", state_});
  port_ = proc_->wait_for_port(std::chrono::seconds(300));
}

httplib::Client ControllerEnv::client() const {
  httplib::Client c("127.0.0.1", port_);
  c.set_connection_timeout(5, 0);
  c.set_read_timeout(30, 0);
  return c;
}

namespace {
JsonReply to_reply(const httplib::Result& r) {
  JsonReply out;
  if (!r) throw std::runtime_error("no answer from the controller: " + httplib::to_string(r.error()));
  out.status = r->status;
  out.raw = r->body;
  out.body = nlohmann::json::parse(r->body, nullptr, false);
  return out;
}
}  // namespace

JsonReply get_json(const std::string& path) { return to_reply(ControllerEnv::get().client().Get(path.c_str())); }

JsonReply post_json(const std::string& path, const std::string& body) {
  return to_reply(ControllerEnv::get().client().Post(path.c_str(), body, "application/json"));
}

}  // namespace edgeml::testing
