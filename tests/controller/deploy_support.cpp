#include "deploy_support.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <thread>

namespace fs = std::filesystem;

namespace edgeml::deploy_test {

Service::Service(std::vector<std::string> argv, std::map<std::string, std::string> env) {
  proc_ = std::make_unique<testing::ChildProcess>(std::move(argv), std::move(env));
  port_ = proc_->wait_for_port(std::chrono::seconds(300));
}

httplib::Client Service::client() const {
  httplib::Client c("127.0.0.1", port_);
  c.set_connection_timeout(5, 0);
  c.set_read_timeout(120, 0);
  return c;
}

namespace {
Reply to_reply(const httplib::Result& r) {
  if (!r) throw std::runtime_error("no answer: " + httplib::to_string(r.error()));
  Reply out;
  out.status = r->status;
  out.raw = r->body;
  out.body = nlohmann::json::parse(r->body, nullptr, false);
  for (const auto& [k, v] : r->headers) out.headers[k] = v;
  return out;
}
}  // namespace

Reply Service::get(const std::string& path) const { return to_reply(client().Get(path)); }
Reply Service::post(const std::string& path, const nlohmann::json& body) const { return post_raw(path, body.dump()); }
Reply Service::post_raw(const std::string& path, const std::string& body, const std::string& content_type) const {
  return to_reply(client().Post(path, body, content_type));
}

namespace {
fs::path test_state_root() { return fs::path(EDGEML_BIN_DIR) / ".." / "test-state"; }
fs::path predictor_cache() { return test_state_root() / "deploy-predictor-cache"; }

// State folders of this test process, removed when it exits (they hold databases and model files).
std::vector<fs::path>& owned_states() {
  static std::vector<fs::path> dirs;
  static bool registered = [] {
    return std::atexit([] {
             std::error_code ec;
             for (const auto& d : owned_states()) fs::remove_all(d, ec);
           }) == 0;
  }();
  (void)registered;
  return dirs;
}
}  // namespace

fs::path controller_state(const std::string& name, bool fresh) {
  // One folder per test process, so `ctest -j` runs never share a database; the trained predictors are copied in
  // from a cache (the controller reuses them when their fingerprint matches the data, so nothing is retrained).
  fs::path state = test_state_root() / (name + "-" + std::to_string(::getpid()));
  if (fresh) fs::remove_all(state);
  fs::create_directories(state);
  owned_states().push_back(state);
  std::error_code ec;
  if (fs::exists(predictor_cache()) && !fs::exists(state / "predictors"))
    fs::copy(predictor_cache(), state / "predictors", fs::copy_options::recursive, ec);
  return state;
}

std::unique_ptr<Service> start_controller(const fs::path& state, std::vector<std::string> extra,
                                          std::map<std::string, std::string> env, bool with_data) {
  std::vector<std::string> argv{
      testing::bin("edgeml-controller"), "--host", "127.0.0.1", "--port", "0", "--state", state.string()};
  if (with_data) {
    argv.push_back("--data");
    argv.push_back(EDGEML_SHARED_DATA);
  }
  argv.insert(argv.end(), extra.begin(), extra.end());
  auto service = std::make_unique<Service>(argv, env);
  if (with_data && !fs::exists(predictor_cache()) && fs::exists(state / "predictors")) {
    fs::path tmp = test_state_root() / ("predictor-cache.tmp-" + std::to_string(::getpid()));
    std::error_code ec;
    fs::copy(state / "predictors", tmp, fs::copy_options::recursive, ec);
    if (!ec) fs::rename(tmp, predictor_cache(), ec);  // another process may have won: fine
    fs::remove_all(tmp, ec);
  }
  return service;
}

std::unique_ptr<Service> start_agent(const std::string& fixture, const fs::path& state, std::vector<std::string> extra,
                                     std::map<std::string, std::string> env) {
  fs::path root = fs::path(EDGEML_FIXTURES_DIR) / fixture;
  std::vector<std::string> argv{testing::bin("edgeml-agent"), "--host", "127.0.0.1", "--port", "0", "--state",
                                state.string(), "--sysfs-root", (root / "sys").string(), "--procfs-root",
                                (root / "proc").string(),
                                // the Raspberry Pi 5 fixture's vcgencmd stand-in; absent in the other fixtures
                                "--vcgencmd", (root / "bin" / "vcgencmd").string()};
  argv.insert(argv.end(), extra.begin(), extra.end());
  return std::make_unique<Service>(argv, env);
}

bool eventually(const std::function<bool()>& pred, double timeout_s) {
  auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_s);
  while (std::chrono::steady_clock::now() < end) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return pred();
}

}  // namespace edgeml::deploy_test
