#include "controller/agent_client.hpp"

#include "common/error.hpp"
#include "common/strings.hpp"

namespace edgeml::controller {

std::pair<std::string, int> split_address(const std::string& address, const std::string& field) {
  if (address.empty() || address.size() > 255) throw FieldError(field, field + " must be host:port");
  for (char c : address)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == ':' || c == '_'))
      throw FieldError(field, field + " must be host:port (letters, digits, '.', '-', ':')");
  auto colon = address.rfind(':');
  if (colon == std::string::npos) return {address, 8000};
  auto port = parse_int(address.substr(colon + 1));
  if (!port || *port < 1 || *port > 65535) throw FieldError(field, field + ": port must be 1-65535");
  if (colon == 0) throw FieldError(field, field + " has no host");
  return {address.substr(0, colon), static_cast<int>(*port)};
}

std::string AgentReply::error_text() const {
  if (body.is_object() && body.contains("error") && body["error"].is_string()) return body["error"];
  return "HTTP " + std::to_string(status);
}

AgentClient::AgentClient(const std::string& address, const std::string& token, int timeout_s,
                         const http::TlsClientOptions& tls)
    : address_(address), token_(token), timeout_s_(timeout_s), client_(tls) {
  auto [host, port] = split_address(address);
  base_url_ = (tls.ca_file.empty() ? "http://" : "https://") + host + ":" + std::to_string(port);
  http::require_header_safe(token, "token");
}

AgentReply AgentClient::send(const std::string& method, const std::string& path, const std::string& body) {
  http::ClientRequest r;
  r.method = method;
  r.url = base_url_ + path;
  r.timeout_s = timeout_s_;
  r.connect_timeout_s = timeout_s_;
  if (!token_.empty()) r.headers.add("Authorization", "Bearer " + token_);
  if (method != "GET") {
    r.headers.add("Content-Type", "application/json");
    r.body = body;
  }
  http::ClientResponse answer;
  try {
    answer = client_.send(r);
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::upstream_failed && e.kind() != ErrorKind::upstream_timeout) throw;
    throw AgentUnreachable("agent " + address_ + " did not answer " + method + " " + path + ": " + e.what());
  }
  AgentReply out;
  out.status = answer.status;
  out.body = nlohmann::json::parse(answer.body, nullptr, false);
  if (out.body.is_discarded()) out.body = nullptr;
  return out;
}

AgentReply AgentClient::get(const std::string& path) { return send("GET", path, ""); }

AgentReply AgentClient::put(const std::string& path, const nlohmann::json& body) {
  return send("PUT", path, body.dump());
}

AgentReply AgentClient::post(const std::string& path, const nlohmann::json& body) {
  return send("POST", path, body.dump());
}

}  // namespace edgeml::controller
