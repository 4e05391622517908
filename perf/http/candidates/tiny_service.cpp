#include "tiny_service.hpp"

#include <iostream>
#include <nlohmann/json.hpp>

#include "common/error.hpp"
#include "common/strings.hpp"

namespace edgeml::perf::candidates {

CandidateLimits parse_candidate_flags(int argc, char** argv, int default_threads) {
  CandidateLimits l;
  l.threads = default_threads;
  for (int i = 1; i < argc; ++i) {
    std::string flag = argv[i];
    if (i + 1 >= argc) throw FieldError(flag, flag + " needs a value");
    auto v = parse_int(argv[++i]);
    if (flag == "--port") {
      if (!v || *v < 0 || *v > 65535) throw FieldError(flag, "--port must be 0..65535");
      l.port = static_cast<int>(*v);
    } else if (flag == "--threads") {
      if (!v || *v < 1 || *v > 256) throw FieldError(flag, "--threads must be 1..256");
      l.threads = static_cast<int>(*v);
    } else {
      throw FieldError(flag, "unknown flag " + flag + " (expected --port N, --threads N)");
    }
  }
  return l;
}

Answer healthz() { return {200, "application/json", R"({"status":"ok"})"}; }

Answer echo(std::string_view body) {
  auto parsed = nlohmann::json::parse(body, nullptr, false);
  if (parsed.is_discarded())
    return {400, "application/json", nlohmann::json{{"error", "body is not JSON"}, {"field", "body"}}.dump()};
  return {200, "application/json", nlohmann::json{{"echo", parsed}, {"body_bytes", body.size()}}.dump()};
}

Answer not_found(std::string_view method, std::string_view path) {
  return {404, "application/json",
          nlohmann::json{{"error", "no such endpoint: " + std::string(method) + " " + std::string(path)}}.dump()};
}

Answer body_too_large(size_t limit) {
  return {
      413, "application/json",
      nlohmann::json{{"error", "request body is over " + std::to_string(limit) + " bytes"}, {"field", "body"}}.dump()};
}

std::string sse_event(long long seq) {
  return "id: " + std::to_string(seq) + "\nevent: tick\ndata: {\"seq\":" + std::to_string(seq) + "}\n\n";
}

void announce(const char* candidate, int port, int threads) {
  std::cout << candidate << " (" << threads << " threads) listening on http://127.0.0.1:" << port << std::endl;
}

}  // namespace edgeml::perf::candidates
