#include "agent/request_guard.hpp"

#include "common/error.hpp"

namespace edgeml::agent {

bool bearer_matches(const std::string& header, const std::string& token) {
  const std::string want = "Bearer " + token;
  // Length is not secret (tokens have a fixed format); the bytes are compared without early exit.
  if (header.size() != want.size()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < want.size(); ++i) diff |= static_cast<unsigned char>(header[i] ^ want[i]);
  return diff == 0;
}

http::Authenticator agent_authenticator(std::string token) {
  return agent_authenticator(std::vector<std::string>{std::move(token)});
}

http::Authenticator agent_authenticator(std::vector<std::string> tokens) {
  std::erase_if(tokens, [](const std::string& t) { return t.empty(); });
  return [tokens = std::move(tokens)](const http::Request& req) {
    http::Identity who;
    if (tokens.empty()) {
      who.authenticated = true;
      who.role = http::Role::admin;
      who.name = "local";
      who.method = "local";
      return who;
    }
    const std::string* header = req.headers.find("Authorization");
    if (!header) {
      who.name = "anonymous";
      who.method = "anonymous";
      return who;
    }
    bool known = false;
    for (const auto& token : tokens) known = bearer_matches(*header, token) || known;  // every one, no early exit
    if (!known) throw Error(ErrorKind::unauthorized, "missing or wrong bearer token", "Authorization");
    who.authenticated = true;
    who.role = http::Role::admin;
    who.name = "controller";
    who.method = "token";
    return who;
  };
}

}  // namespace edgeml::agent
