#pragma once
// JSON answers. Every error body has the same shape: {"error": "...", "field": "..."} (field only when one is at
// fault).
#include <httplib.h>

#include <nlohmann/json.hpp>
#include <string>

#include "common/error.hpp"

namespace edgeml::http {

void reply_json(httplib::Response& res, const nlohmann::json& body, int status = 200);
void reply_error(httplib::Response& res, int status, const std::string& message, const std::string& field = "");
// Status from the error's kind (http/error_status), body {"error", "field", "kind", ...details}.
void reply_error(httplib::Response& res, const Error& e);

}  // namespace edgeml::http
