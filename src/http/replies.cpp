#include "http/replies.hpp"

#include <cmath>

#include "http/error_status.hpp"

namespace edgeml::http {

void reply_json(Response& res, const nlohmann::json& body, int status) {
  res.status = status;
  // Replace invalid UTF-8 rather than throw: a model name read from a user's file must never crash a reply.
  res.set_content(body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), "application/json");
}

void reply_error(Response& res, int status, const std::string& message, const std::string& field) {
  nlohmann::json body{{"error", message}, {"success", false}};
  if (!field.empty()) body["field"] = field;
  reply_json(res, body, status);
}

void reply_error(Response& res, const Error& e) {
  nlohmann::json body{{"error", e.what()}, {"success", false}, {"kind", to_string(e.kind())}};
  if (!e.field().empty()) body["field"] = e.field();
  if (e.details().is_object())
    for (const auto& [k, v] : e.details().items()) body[k] = v;
  reply_json(res, body, status_of(e.kind()));
  if (e.details().is_object() && e.details().contains("retry_after_s") && e.details()["retry_after_s"].is_number())
    res.set_header("Retry-After",
                   std::to_string(static_cast<long long>(std::ceil(e.details()["retry_after_s"].get<double>()))));
}

}  // namespace edgeml::http
