// Every JSON request-body parser that lives in a library (so it can be called without a server), behind
// parse_json_body as the routes call it:
//   0  rows_from_json            catalog rows posted to the controller (also what JsonLinesRowStore reads back)
//   1  parse_predict_request     POST /api/predict-energy (no ?device_type=)
//   2  parse_predict_request     the same with ?device_type=rpi5
//   3  parse_deploy_request      agent POST /deploy
//   4  parse_benchmark_request   agent POST /benchmark
//   5  ExternalMeter::submit     agent POST /energy: one body per line, 0.25 s apart on the agent's clock, so the
//                                chain of readings (trapezoid, counter differences, silences) is exercised too
//   6  sample_from_agent_telemetry  the controller reading an agent's GET /telemetry answer (wire; a device is
//                                not trusted)
//   7  the strict field readers  common/json_fields on fixed names, as the controller's inline route parsers use them
// Input: byte 0 modulo 8 picks the parser (the seeds use '0'..'7', which are 48..55); the rest is the body.
//
// One harness for all of them, not one each: they share the grammar (JSON), the dictionary and the field readers
// underneath, so inputs found for one parser are useful seeds for the others, and CI runs one binary for a longer
// time box instead of eight short ones.
//
// Promises checked: a body is refused only with edgeml::Error (FieldError names the field: a route answers 400 with
// it; anything else would be a 500), RateLimitError from the meter; what is accepted holds the documented ranges.
#include <cmath>
#include <string>

#include "agent/benchmark_service.hpp"
#include "agent/deploy_job.hpp"
#include "catalog/catalog.hpp"
#include "catalog/row_import.hpp"
#include "common/error.hpp"
#include "common/json_fields.hpp"
#include "fuzz_support.hpp"
#include "predictor/predict_request.hpp"
#include "telemetry/external_meter.hpp"
#include "wire/agent_telemetry.hpp"

namespace {

using edgeml::fuzz::expect;
using nlohmann::json;

void rows(const json& body) {
  edgeml::catalog::Provenance base;
  base.origin = edgeml::catalog::kOriginApi;
  auto batch = edgeml::catalog::rows_from_json(body, base);
  expect(!batch.rows.empty() && batch.rows.size() <= edgeml::catalog::kMaxRowsPerBatch, "rows_from_json: row count");
  edgeml::catalog::Catalog catalog;
  for (auto& row : batch.rows) catalog.add(std::move(row));  // validation, flags, repairs of API rows
  catalog.report();
}

void predict(const json& body, const std::string& query_device) {
  auto request = edgeml::predictor::parse_predict_request(body, query_device);
  expect(!request.items.empty() && request.items.size() <= edgeml::predictor::kMaxPredictBatch,
         "parse_predict_request: item count");
  for (const auto& item : request.items)
    for (const auto& v : {item.inputs.params_m, item.inputs.gflops, item.inputs.gmacs, item.inputs.size_mb,
                          item.inputs.latency_avg_s, item.inputs.duration_avg_s})
      expect(!v || (std::isfinite(*v) && *v > 0), "parse_predict_request: a non-positive or infinite input");
}

void deploy(const json& body) {
  auto r = edgeml::agent::parse_deploy_request(body);
  expect(r.sha256.size() == 64 && r.sha256.find_first_not_of("0123456789abcdef") == std::string::npos,
         "parse_deploy_request: sha256 not 64 lower-case hex digits: " + r.sha256);
  expect(r.size >= 1 && !r.model_name.empty() && !r.model_url.empty(), "parse_deploy_request: size or names");
}

void benchmark(const json& body) {
  auto r = edgeml::agent::parse_benchmark_request(body);
  expect(
      r.iterations >= 1 && r.iterations <= 100000 && r.warmup >= 0 && r.warmup <= 10000 && r.runs >= 1 && r.runs <= 100,
      "parse_benchmark_request: out of its documented ranges");
}

void meter_readings(std::string_view lines) {
  const edgeml::telemetry::ExternalMeterOptions options;
  edgeml::telemetry::ExternalMeter meter(options);
  double now = 1.7e9;  // the agent's clock; the seeds' "ts" values sit around it
  while (!lines.empty()) {
    const std::string line(edgeml::fuzz::take_line(lines));
    now += 0.25;
    try {
      meter.submit(edgeml::parse_json_body(line), now);
    } catch (const edgeml::Error& e) {
      edgeml::fuzz::note(std::string("reading refused: ") + e.what());
      continue;
    } catch (const edgeml::telemetry::RateLimitError& e) {
      edgeml::fuzz::note(std::string("reading refused: ") + e.what());
      continue;
    }
    edgeml::telemetry::Snapshot snapshot;
    meter.read(snapshot, now);
    const auto& power = snapshot.power;
    expect(power.available, "external meter: a reading was accepted but no power section is shown");
    if (power.total_watts)
      expect(std::isfinite(*power.total_watts) && *power.total_watts >= 0 && *power.total_watts <= options.max_power_w,
             "external meter: accepted readings give " + std::to_string(*power.total_watts) +
                 " W, outside [0, max_power_w]");
    if (power.energy_counter_joules)
      expect(std::isfinite(*power.energy_counter_joules) && *power.energy_counter_joules >= 0,
             "external meter: energy counter " + std::to_string(*power.energy_counter_joules) + " J");
  }
}

void telemetry_sample(const json& body) {
  if (!body.is_object()) return;  // the poller refuses anything else before reading it
  const auto a = edgeml::wire::sample_from_agent_telemetry(body, true);
  const auto& s = a.sample;
  for (const auto& v : {s.cpu_usage_ratio, s.memory_used_ratio, s.storage_used_ratio, s.temperature_c, s.power_w,
                        s.energy_per_inference_j, s.inference_per_s, s.inference_latency_p50_s})
    expect(!v || std::isfinite(*v), "sample_from_agent_telemetry: a non-finite figure");
  (void)edgeml::wire::to_json(s).dump();  // what the controller stores and answers
}

void field_readers(const json& body) {
  using namespace edgeml;
  auto energy = optional_number(body, "max_energy", {0, 1e12});
  auto force = optional_bool(body, "force");
  auto name = require_string(body, "model_name", 128);
  auto size = require_number(body, "size_mb", {0, 1e6, true});
  expect(!energy || (*energy >= 0 && *energy <= 1e12), "optional_number out of its range");
  expect(size > 0 && size <= 1e6, "require_number out of its range");
  expect(name.size() <= 128, "require_string longer than its limit");
  (void)force;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const int parser = data[0] % 8;
  const std::string_view text = edgeml::fuzz::as_text(data + 1, size - 1);
  try {
    if (parser == 5) {
      meter_readings(text);
      return 0;
    }
    const json body = edgeml::parse_json_body(std::string(text));
    switch (parser) {
      case 0:
        rows(body);
        break;
      case 1:
        predict(body, "");
        break;
      case 2:
        predict(body, "rpi5");
        break;
      case 3:
        deploy(body);
        break;
      case 4:
        benchmark(body);
        break;
      case 6:
        telemetry_sample(body);
        break;
      case 7:
        field_readers(body);
        break;
    }
    edgeml::fuzz::note("parser " + std::to_string(parser) + " accepted the body");
  } catch (const edgeml::Error& e) {
    // documented: the route answers it (400 naming the field, 413, ...)
    edgeml::fuzz::note("parser " + std::to_string(parser) + " refused: " + e.what());
  } catch (const std::exception& e) {
    edgeml::fuzz::undocumented(e, "a JSON body parser");
  }
  return 0;
}
