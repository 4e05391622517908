#pragma once
// Enrollment from the agent's side: with --controller URL and an enrollment token (EDGEML_ENROLL_TOKEN), the agent
// asks the controller to join (POST /api/enroll) with who it is (device_identity.hpp), where it listens, and the two
// credentials it made (credentials.hpp); then it asks again every --enroll-interval seconds until an admin has
// accepted or rejected it. The answer is kept in the credentials file and shown in GET /status ("enrollment"). Runs
// on a thread of its own: the agent serves requests meanwhile. --controller-ca verifies an https:// controller.
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "agent/credentials.hpp"
#include "agent/device_identity.hpp"
#include "http/client.hpp"

namespace edgeml::agent {

struct EnrollSettings {
  std::string controller_url;  // http(s)://host:port
  std::string enroll_token;
  http::TlsClientOptions tls;
  std::string name;       // the device name it asks for
  std::string advertise;  // host:port the controller should use to reach the agent; "" = the address it sees + port
  double interval_s = 10;
};

class Enroller {
 public:
  Enroller(EnrollSettings settings, DeviceIdentity identity, std::filesystem::path state_dir,
           AgentCredentials credentials);
  ~Enroller();
  void start(int listen_port);  // once the agent is bound
  void stop();
  // {"controller", "status", "enrollment_id", "name", "device_type", "model", "last_error"}
  nlohmann::json status() const;

 private:
  void run();
  // One request; returns the seconds to wait before the next, or a negative number when the enrollment is decided.
  double attempt(http::Client& client);
  void set(const std::string& status, long long id, const std::string& error);

  EnrollSettings settings_;
  DeviceIdentity identity_;
  std::filesystem::path state_dir_;
  int port_ = 0;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  AgentCredentials credentials_;
  std::string last_error_;
  bool stopping_ = false;
  std::thread thread_;
};

// Throws FieldError("--controller") unless the URL is http(s)://host[:port] with nothing after it.
std::string check_controller_url(const std::string& url);

}  // namespace edgeml::agent
