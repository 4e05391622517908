#include "agent/benchmark_service.hpp"
#include "common/error.hpp"
#include "common/json_fields.hpp"

namespace edgeml::agent {

BenchmarkRequest parse_benchmark_request(const nlohmann::json& body) {
  if (!body.is_object()) throw FieldError("body", "request body must be a JSON object");
  BenchmarkRequest r;
  auto whole = [](const std::string& f, double v) {
    if (v != static_cast<double>(static_cast<long long>(v))) throw FieldError(f, "'" + f + "' must be a whole number");
    return static_cast<int>(v);
  };
  if (auto it = optional_number(body, "iterations", {1, 100000})) r.iterations = whole("iterations", *it);
  if (auto w = optional_number(body, "warmup", {0, 10000})) r.warmup = whole("warmup", *w);
  if (auto n = optional_number(body, "runs", {1, 100})) r.runs = whole("runs", *n);
  return r;
}

}  // namespace edgeml::agent
