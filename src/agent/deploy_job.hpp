#pragma once
// POST /deploy runs in the background: the HTTP answer comes at once (202), and the download, verification and
// activation report their progress through /status (the original agent held the controller's request open for up to
// 60 s). One deployment at a time.
#include <cstdint>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>

#include "agent/model_fetcher.hpp"
#include "agent/model_manager.hpp"
#include "agent/model_store.hpp"
#include "common/clock.hpp"

namespace edgeml::agent {

struct DeployRequest {
  std::string model_name;
  std::string model_url;
  std::string sha256;
  std::uint64_t size = 0;
  bool activate = true;
  std::string preprocess;  // optional pixel convention overriding the model's (runtime::Convention name)
  std::string weights;     // optional: placeholder | file (model_ref.hpp), kept with the model
};

// Reads {model_name, model_url, sha256, size, activate?, preprocess?, weights?}; throws FieldError naming the field.
DeployRequest parse_deploy_request(const nlohmann::json& body);

class DeployJob {
 public:
  DeployJob(ModelStore& store, ModelManager& manager, const Clock& clock);
  ~DeployJob();
  // Checks the request (name, sha256, URL, free space) before answering; throws FieldError / Error(507), or 409
  // while another deployment runs. Then downloads in the background.
  void start(const DeployRequest& request);
  // Blocks until the current deployment (if any) has finished.
  void wait();
  // {"state": idle|downloading|activating|done|failed, "model_name", "sha256", "received_bytes", "total_bytes",
  //  "error", "failure" (a wire::FailureKind name, when failed), "started", "finished"}
  nlohmann::json progress() const;

 private:
  void run(DeployRequest request, ParsedUrl url);
  void set_state(const std::string& state, const std::string& error = "");

  ModelStore& store_;
  ModelManager& manager_;
  const Clock& clock_;
  mutable std::mutex mu_;
  std::thread thread_;
  bool busy_ = false;
  nlohmann::json progress_ = {{"state", "idle"}};
};

}  // namespace edgeml::agent
