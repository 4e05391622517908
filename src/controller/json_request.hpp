#pragma once
// JSON request bodies. The server accepts bodies up to the upload limit (model files come as multipart), so JSON
// routes check their own, smaller limit here: over 1 MiB is 413, before any parsing.
#include <httplib.h>

#include <nlohmann/json.hpp>

namespace edgeml::controller {

inline constexpr size_t kMaxJsonBody = 1 << 20;

// Error(413) (field "body") when too large; FieldError("body") when malformed.
nlohmann::json json_request(const httplib::Request& req);

}  // namespace edgeml::controller
