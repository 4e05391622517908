#include "agent/request_guard.hpp"

#include "common/strings.hpp"
#include "http/replies.hpp"

namespace edgeml::agent {

bool bearer_matches(const std::string& header, const std::string& token) {
  const std::string want = "Bearer " + token;
  // Length is not secret (tokens have a fixed format); the bytes are compared without early exit.
  if (header.size() != want.size()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < want.size(); ++i) diff |= static_cast<unsigned char>(header[i] ^ want[i]);
  return diff == 0;
}

void install_request_guard(httplib::Server& server, std::string token, GuardLimits limits) {
  server.set_pre_routing_handler([token = std::move(token), limits](const httplib::Request& req,
                                                                    httplib::Response& res) {
    using R = httplib::Server::HandlerResponse;
    const bool mutating =
        req.method == "POST" || req.method == "PUT" || req.method == "DELETE" || req.method == "PATCH";
    // The body of a refused request is never read, so the connection cannot be reused: close it.
    auto refuse = [&](int status, const std::string& message, const std::string& field) {
      http::reply_error(res, status, message, field);
      res.set_header("Connection", "close");
      return R::Handled;
    };
    if (mutating && !token.empty() && !bearer_matches(req.get_header_value("Authorization"), token)) {
      res.set_header("WWW-Authenticate", "Bearer");
      return refuse(401, "missing or wrong bearer token", "Authorization");
    }
    const bool upload = req.method == "PUT" && req.path.rfind("/models/", 0) == 0;
    const bool infer = req.method == "POST" && req.path == "/infer";
    std::uint64_t limit = upload ? limits.model_body_bytes : infer ? limits.infer_body_bytes : limits.json_body_bytes;
    if (req.has_header("Content-Length")) {
      auto n = parse_int(req.get_header_value("Content-Length"));
      if (!n || *n < 0) return refuse(400, "Content-Length is not a number", "Content-Length");
      if (static_cast<std::uint64_t>(*n) > limit)
        return refuse(413,
                      "request body of " + std::to_string(*n) + " bytes is over the limit of " + std::to_string(limit) +
                          " bytes for " + req.path,
                      "body");
    } else if (mutating && req.has_header("Transfer-Encoding")) {
      return refuse(411, "send a Content-Length (chunked bodies are not accepted)", "Content-Length");
    }
    return R::Unhandled;
  });
}

}  // namespace edgeml::agent
