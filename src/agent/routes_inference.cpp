// Running the active model over HTTP: POST /infer (an image or a raw tensor -> top-k and latency) and
// POST /benchmark (timed runs -> a catalog row).
#include "agent/agent.hpp"
#include "agent/benchmark_service.hpp"
#include "agent/tensor_input.hpp"
#include "common/error.hpp"
#include "common/json_fields.hpp"
#include "http/query.hpp"
#include "http/replies.hpp"
#include "runtime/input_spec.hpp"

namespace edgeml::agent {

void add_inference_routes(http::Router& router, AgentParts& p) {
  router.add({.method = "POST",
              .pattern = "/infer",
              .role = http::Role::operator_,
              .body = http::Body::raw,
              .max_body_bytes = 16 << 20},
             [&p](http::Request& req, http::Response& res) {
               auto k = http::query_int(req, "k", 1, 1000).value_or(5);
               auto norm_name = http::query_string(req, "normalize", 16).value_or("imagenet");
               if (norm_name != "imagenet" && norm_name != "none")
                 throw FieldError("normalize", "'normalize' must be imagenet or none, got '" + norm_name + "'");
               auto active = p.host.active();
               if (!active) throw Error(ErrorKind::conflict, "no model is active");
               auto input = tensor_from_body(req.header("Content-Type"), req.body, active->input, active->input_spec,
                                             req.has_query("normalize") ? std::optional(norm_name) : std::nullopt,
                                             p.options.max_image_pixels);
               auto result = p.host.run(input.values);
               p.request_stats.record(result.latency_s, p.clock.now_s());
               nlohmann::json top = nlohmann::json::array();
               for (const auto& t : top_k(result.output, static_cast<size_t>(k)))
                 top.push_back({{"index", t.index}, {"value", t.value}});
               http::reply_json(res, {{"model", active->ref.name},
                                      {"sha256", active->ref.sha256},
                                      {"backend", active->backend},
                                      {"latency_s", result.latency_s},
                                      {"output_size", result.output.size()},
                                      {"input", runtime::to_json(input.used)},
                                      {"top_k", top}});
             });

  router.add({.method = "POST",
              .pattern = "/benchmark",
              .role = http::Role::operator_,
              .body = http::Body::json,
              .body_optional = true,
              .blocking = true},
             [&p](http::Request& req, http::Response& res) {
               auto request =
                   parse_benchmark_request(req.body.empty() ? nlohmann::json::object() : parse_json_body(req.body));
               http::reply_json(res, run_benchmark(request, p.host, p.store, p.telemetry, p.device));
             });
}

}  // namespace edgeml::agent
