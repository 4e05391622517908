#include "controller/json_request.hpp"

#include "common/error.hpp"
#include "common/json_fields.hpp"

namespace edgeml::controller {

nlohmann::json json_request(const http::Request& req) {
  if (req.body.size() > kMaxJsonBody)
    throw Error(ErrorKind::too_large, "request body is too large (JSON bodies are limited to 1 MiB)", "body");
  return parse_json_body(req.body);
}

}  // namespace edgeml::controller
