#pragma once
// JSON answers. Every error body has the same shape: {"error": "...", "success": false, "field": "...", "kind": "..."}
// (field only when one is at fault).
#include <nlohmann/json.hpp>
#include <string>

#include "common/error.hpp"
#include "http/response.hpp"

namespace edgeml::http {

void reply_json(Response& res, const nlohmann::json& body, int status = 200);
void reply_error(Response& res, int status, const std::string& message, const std::string& field = "");
// Status from the error's kind (http/error_status), body {"error", "field", "kind", ...details}; Retry-After when the
// details carry retry_after_s.
void reply_error(Response& res, const Error& e);

}  // namespace edgeml::http
