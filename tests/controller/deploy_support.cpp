#include "deploy_support.hpp"

#include <unistd.h>

#include <chrono>
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
Reply Service::post(const std::string& path, const nlohmann::json& body) const {
  return to_reply(client().Post(path, body.dump(), "application/json"));
}

fs::path controller_state(const std::string& name, bool fresh) {
  fs::path state = fs::path(EDGEML_BIN_DIR) / ".." / "test-state" / name;
  fs::create_directories(state);
  if (fresh) {
    for (const char* f : {"controller.db", "controller.db-wal", "controller.db-shm"}) fs::remove(state / f);
    fs::remove_all(state / "models");
  }
  return state;
}

std::unique_ptr<Service> start_controller(const fs::path& state, std::vector<std::string> extra,
                                          std::map<std::string, std::string> env, bool with_data) {
  std::vector<std::string> argv{testing::bin("edgeml-controller"), "--host", "127.0.0.1", "--port", "0",
                                "--state", state.string()};
  if (with_data) {
    argv.push_back("--data");
    argv.push_back(EDGEML_SHARED_DATA);
  }
  argv.insert(argv.end(), extra.begin(), extra.end());
  return std::make_unique<Service>(argv, env);
}

std::unique_ptr<Service> start_agent(const std::string& fixture, const fs::path& state,
                                     std::vector<std::string> extra, std::map<std::string, std::string> env) {
  fs::path root = fs::path(EDGEML_FIXTURES_DIR) / fixture;
  std::vector<std::string> argv{testing::bin("edgeml-agent"), "--host", "127.0.0.1", "--port", "0",
                                "--state", state.string(), "--sysfs-root", (root / "sys").string(),
                                "--procfs-root", (root / "proc").string()};
  argv.insert(argv.end(), extra.begin(), extra.end());
  return std::make_unique<Service>(argv, env);
}

TempDir::TempDir(const std::string& tag) {
  static int n = 0;
  path = fs::temp_directory_path() / ("edgeml-" + tag + "-" + std::to_string(::getpid()) + "-" + std::to_string(n++));
  fs::remove_all(path);
  fs::create_directories(path);
}
TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path, ec);
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
