#pragma once
// Checks made before cpp-httplib reads a request body (its pre-routing hook), so an unauthenticated or oversized
// upload is refused without being received:
//   - mutating methods (POST, PUT, DELETE, PATCH) need "Authorization: Bearer <token>" when a token is configured
//     (401 otherwise; compared in constant time; the token is never logged);
//   - body size limits per route: model uploads up to the store's limit, /infer images up to 16 MiB, anything else
//     1 MiB (413); a body without Content-Length (chunked) is refused on routes other than the upload (411).
#include <httplib.h>

#include <cstdint>
#include <string>

namespace edgeml::agent {

struct GuardLimits {
  std::uint64_t json_body_bytes = 1ull << 20;
  std::uint64_t infer_body_bytes = 16ull << 20;
  std::uint64_t model_body_bytes = 1ull << 30;
};

// Installs the pre-routing handler on the server.
void install_request_guard(httplib::Server& server, std::string token, GuardLimits limits);

// Constant-time comparison of the Authorization header with "Bearer <token>".
bool bearer_matches(const std::string& header, const std::string& token);

}  // namespace edgeml::agent
