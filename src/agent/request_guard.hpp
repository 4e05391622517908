#pragma once
// Who may call the agent. With a token configured, "Authorization: Bearer <token>" (compared in constant time, never
// logged) makes the caller the controller, which may do everything; a request without credentials is anonymous and
// may only read; a wrong token is 401. Without a token the agent listens on loopback only (main.cpp refuses
// anything else) and every caller is local. Body limits are declared by each route (routes_*.cpp).
#include <string>
#include <vector>

#include "http/server.hpp"

namespace edgeml::agent {

http::Authenticator agent_authenticator(std::string token);
// Any of several tokens (EDGEML_AGENT_TOKEN and the one the agent gave the controller when it enrolled); empty ones
// are left out, and none at all means every caller is local, as above.
http::Authenticator agent_authenticator(std::vector<std::string> tokens);

// Constant-time comparison of the Authorization header with "Bearer <token>".
bool bearer_matches(const std::string& header, const std::string& token);

}  // namespace edgeml::agent
