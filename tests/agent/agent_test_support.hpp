#pragma once
// Shared by the agent tests: tiny real ONNX models, temporary state folders, and a real edgeml-agent process on
// 127.0.0.1 with an HTTP client.
#include <httplib.h>

#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "child_process.hpp"
#include "temp_dir.hpp"

namespace edgeml::agent_test {

// A valid ONNX model: x[1,3,4,4] -> Mul(x, scale) -> GlobalAveragePool -> Flatten -> y[1,3]. Different scales give
// different bytes (and sha256) for "version A" and "version B" of a model.
std::string tiny_onnx(float scale);
// A model that takes measurable time: x[1,width] -> (MatMul by a width x width matrix, Relu) x layers -> y[1,width].
// 8 layers of 512 run in about a millisecond on one core.
std::string matmul_onnx(int layers, int width);

// The suite's one temporary-folder helper (tests/support/temp_dir.hpp).
using TempDir = edgeml::testing::TempDir;

// A real edgeml-agent child process on 127.0.0.1 with a free port.
class AgentProcess {
 public:
  AgentProcess(const std::filesystem::path& state, std::vector<std::string> extra_args = {},
               std::map<std::string, std::string> env = {});
  httplib::Client client() const;  // read timeout 30 s
  nlohmann::json status() const;   // GET /status, asserting 200
  // PUT /models/<name> with the body and its sha256 (or the given one); returns the response.
  httplib::Result put_model(const std::string& name, const std::string& bytes, std::string sha = "",
                            const std::string& query = "") const;
  httplib::Result activate(const std::string& name, const std::string& sha) const;
  void kill_hard() { proc_->kill_hard(); }
  int terminate() { return proc_->terminate(); }
  std::string log_tail(size_t bytes = 4000) const { return proc_->stderr_tail(bytes); }
  int port() const { return port_; }
  std::string token;  // sent as a bearer token when not empty

 private:
  std::unique_ptr<testing::ChildProcess> proc_;
  int port_ = 0;
};

// A request written by hand on a socket, so a test can pause between headers and body, stop half-way, or read the
// answer the agent sends before it has read the body (cpp-httplib's client gives up when its write fails).
struct RawUpload {
  RawUpload(int port, const std::string& name, const std::string& sha, size_t length);  // PUT /models/<name>
  RawUpload(int port, const std::string& method, const std::string& path, const std::string& headers, size_t length);
  ~RawUpload();
  void send_body(const std::string& bytes);  // stops quietly when the agent no longer reads
  std::string response();                    // status line, headers and JSON body
  void close();
  int fd = -1;
};

// The active model's sha256 from /status, or "" when none.
std::string active_sha(const nlohmann::json& status);

}  // namespace edgeml::agent_test
