#pragma once
// One registration form for every route of both services. Each route declares its own options — the readable
// pattern that labels it in metrics, how its body is taken and how large it may be, whether it changes state, the
// role it needs, whether it may wait long — instead of the server inferring them from method and path.
//
//   router.add({.method = "POST", .pattern = "/api/deploy", .role = Role::operator_, .body = Body::json,
//               .mutates = true, .blocking = true},
//              [&](Request& req, Response& res) { ... });
//
// Patterns: literal segments, ":name" for one segment (req.param("name")), and a final "*name" for the rest of the
// path. Routes are tried in the order they were added.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "http/access.hpp"
#include "http/request.hpp"
#include "http/response.hpp"

namespace edgeml::http {

enum class Body {
  none,    // no body expected; a small one is read and ignored
  json,    // buffered in req.body, up to max_body_bytes; a missing Content-Length on POST/PUT/PATCH is 411
  raw,     // buffered like json, any content type (an image to /infer)
  stream,  // handed to the sink open_sink() returns, chunk by chunk as it arrives; Content-Length required
};

using Handler = std::function<void(Request&, Response&)>;
using SinkFactory = std::function<std::unique_ptr<BodySink>(Request&)>;

struct RouteOptions {
  std::string method;   // GET, POST, PUT, PATCH, DELETE
  std::string pattern;  // "/api/devices/:id/telemetry"; also the route's label in /metrics
  Role role = Role::anyone;
  Body body = Body::none;
  size_t max_body_bytes = 1 << 20;
  bool body_optional = false;  // no Content-Length on a POST is an empty body, not 411
  bool mutates = false;        // changes state: logged with who did it
  bool blocking = false;       // may wait long (a deploy waiting for its agent): runs on the pool for long tasks
  SinkFactory open_sink;       // Body::stream: called once the headers are in (may throw an Error to refuse)
};

struct Route {
  RouteOptions options;
  Handler handler;
  std::vector<std::string> segments;  // the pattern split on '/'
};

class Router {
 public:
  // Throws Error(internal) on a malformed pattern or a stream route without open_sink.
  void add(RouteOptions options, Handler handler);

  struct Match {
    const Route* route = nullptr;
    std::map<std::string, std::string> params;
    std::string allowed_methods;  // when the path exists with other methods only (405)
  };
  Match match(const std::string& method, const std::string& path) const;
  const std::vector<std::unique_ptr<Route>>& routes() const { return routes_; }

 private:
  std::vector<std::unique_ptr<Route>> routes_;
};

}  // namespace edgeml::http
