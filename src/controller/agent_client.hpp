#pragma once
// The controller's side of the agent protocol (src/agent: GET /status, POST /deploy, POST /rollback, GET /telemetry),
// over HTTP to "host:port" with the device's bearer token, through the project's one HTTP client (keep-alive between
// calls). Only the documented JSON is shared with the agent.
#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

#include "http/client.hpp"

namespace edgeml::controller {

// No answer at all (refused, timed out, closed).
class AgentUnreachable : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct AgentReply {
  int status = 0;
  nlohmann::json body;             // null when the body was not JSON
  std::string error_text() const;  // body.error or the status
};

class AgentClient {
 public:
  // address "host:port" (port defaults to 8000, the original agent port). With tls.ca_file set the agent is called
  // over https and verified against that CA (agents started with --tls-cert; the controller's --agent-ca).
  AgentClient(const std::string& address, const std::string& token, int timeout_s = 5,
              const http::TlsClientOptions& tls = {});
  AgentReply get(const std::string& path);
  AgentReply post(const std::string& path, const nlohmann::json& body);
  // Whether this client still fits a device (its address or token may have been edited since).
  bool talks_to(const std::string& address, const std::string& token) const {
    return address == address_ && token == token_;
  }
  AgentReply put(const std::string& path, const nlohmann::json& body);

 private:
  AgentReply send(const std::string& method, const std::string& path, const std::string& body);
  std::string address_;
  std::string base_url_;
  std::string token_;
  int timeout_s_;
  http::Client client_;
};

// Splits "host[:port]"; throws FieldError(field) on a malformed address.
std::pair<std::string, int> split_address(const std::string& address, const std::string& field = "address");

}  // namespace edgeml::controller
