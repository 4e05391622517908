#pragma once
// JSON request bodies (routes declared with Body::json; the server enforces the route's limit, 1 MiB by default,
// before reading): parsed here with errors that name the body.
#include <nlohmann/json.hpp>

#include "http/request.hpp"

namespace edgeml::controller {

inline constexpr size_t kMaxJsonBody = 1 << 20;

// Error(413) (field "body") when too large; FieldError("body") when malformed.
nlohmann::json json_request(const http::Request& req);

}  // namespace edgeml::controller
