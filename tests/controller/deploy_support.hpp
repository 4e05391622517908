#pragma once
// Real processes for the deploy and fleet tests: an edgeml-controller with its own state folder (the trained
// predictors are kept between runs; the database and the artifact store start empty) and edgeml-agents on fixture
// sysfs/procfs trees, all on 127.0.0.1 with free ports.
#include <httplib.h>

#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "child_process.hpp"
#include "temp_dir.hpp"

namespace edgeml::deploy_test {

struct Reply {
  int status = 0;
  nlohmann::json body;
  std::string raw;
  std::map<std::string, std::string> headers;
};

class Service {
 public:
  Service(std::vector<std::string> argv, std::map<std::string, std::string> env = {});
  int port() const { return port_; }
  int pid() const { return proc_->pid(); }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
  std::string url() const { return "http://" + address(); }
  httplib::Client client() const;
  Reply get(const std::string& path) const;
  Reply post(const std::string& path, const nlohmann::json& body) const;
  // The body exactly as given (for malformed-input tests).
  Reply post_raw(const std::string& path, const std::string& body,
                 const std::string& content_type = "application/json") const;
  void kill_hard() { proc_->kill_hard(); }
  int terminate() { return proc_->terminate(); }
  std::string log_tail(size_t bytes = 4000) const { return proc_->stderr_tail(bytes); }

 private:
  std::unique_ptr<testing::ChildProcess> proc_;
  int port_ = 0;
};

// <bin>/../test-state/<name>-<pid> (removed at exit), with cached trained predictors; fresh = start empty.
std::filesystem::path controller_state(const std::string& name, bool fresh);
std::unique_ptr<Service> start_controller(const std::filesystem::path& state, std::vector<std::string> extra = {},
                                          std::map<std::string, std::string> env = {}, bool with_data = true);
// An agent on tests/fixtures/<fixture> with a fresh state folder under /tmp.
std::unique_ptr<Service> start_agent(const std::string& fixture, const std::filesystem::path& state,
                                     std::vector<std::string> extra = {}, std::map<std::string, std::string> env = {});

// The suite's one temporary-folder helper (tests/support/temp_dir.hpp).
using TempDir = edgeml::testing::TempDir;

// Polls until pred() or the timeout; returns pred()'s last value.
bool eventually(const std::function<bool()>& pred, double timeout_s = 30);

}  // namespace edgeml::deploy_test
