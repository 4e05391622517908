#include "http/router.hpp"

#include "common/error.hpp"

namespace edgeml::http {

namespace {
std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> out;
  size_t start = 1;  // paths start with '/'
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    out.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

bool match_segments(const std::vector<std::string>& pattern, const std::string& path,
                    std::map<std::string, std::string>& params) {
  if (path.empty() || path[0] != '/') return false;
  auto parts = split_path(path);
  size_t i = 0;
  for (; i < pattern.size(); ++i) {
    const std::string& p = pattern[i];
    if (!p.empty() && p[0] == '*') {
      std::string rest;
      for (size_t j = i; j < parts.size(); ++j) rest += (j == i ? "" : "/") + parts[j];
      if (rest.empty()) return false;
      params[p.substr(1)] = rest;
      return true;
    }
    if (i >= parts.size()) return false;
    if (!p.empty() && p[0] == ':') {
      if (parts[i].empty()) return false;
      params[p.substr(1)] = parts[i];
    } else if (p != parts[i]) {
      return false;
    }
  }
  return i == parts.size();
}
}  // namespace

void Router::add(RouteOptions options, Handler handler) {
  const std::string& p = options.pattern;
  if (p.empty() || p[0] != '/') throw Error(ErrorKind::internal, "route pattern must start with '/': " + p);
  if (options.body == Body::stream && !options.open_sink)
    throw Error(ErrorKind::internal, "stream route " + p + " needs open_sink");
  auto route = std::make_unique<Route>();
  route->segments = split_path(p);
  for (size_t i = 0; i + 1 < route->segments.size(); ++i)
    if (!route->segments[i].empty() && route->segments[i][0] == '*')
      throw Error(ErrorKind::internal, "'*' must be the last segment of " + p);
  route->options = std::move(options);
  route->handler = std::move(handler);
  routes_.push_back(std::move(route));
}

Router::Match Router::match(const std::string& method, const std::string& path) const {
  Match m;
  for (const auto& r : routes_) {
    std::map<std::string, std::string> params;
    if (!match_segments(r->segments, path, params)) continue;
    if (r->options.method == method) {
      m.route = r.get();
      m.params = std::move(params);
      return m;
    }
    if (m.allowed_methods.find(r->options.method) == std::string::npos)
      m.allowed_methods += (m.allowed_methods.empty() ? "" : ", ") + r->options.method;
  }
  return m;
}

}  // namespace edgeml::http
