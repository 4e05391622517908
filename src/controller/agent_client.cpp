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

AgentClient::AgentClient(const std::string& address, const std::string& token, int timeout_s) : address_(address) {
  auto [host, port] = split_address(address);
  client_ = std::make_unique<httplib::Client>(host, port);
  client_->set_connection_timeout(timeout_s, 0);
  client_->set_read_timeout(timeout_s, 0);
  client_->set_write_timeout(timeout_s, 0);
  client_->set_keep_alive(true);
  if (!token.empty()) client_->set_bearer_token_auth(token);
}

AgentReply AgentClient::finish(const httplib::Result& r, const std::string& what) {
  if (!r)
    throw AgentUnreachable("agent " + address_ + " did not answer " + what + ": " + httplib::to_string(r.error()));
  AgentReply out;
  out.status = r->status;
  out.body = nlohmann::json::parse(r->body, nullptr, false);
  if (out.body.is_discarded()) out.body = nullptr;
  return out;
}

AgentReply AgentClient::get(const std::string& path) { return finish(client_->Get(path), "GET " + path); }

AgentReply AgentClient::post(const std::string& path, const nlohmann::json& body) {
  return finish(client_->Post(path, body.dump(), "application/json"), "POST " + path);
}

}  // namespace edgeml::controller
