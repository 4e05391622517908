#include "wire/telemetry_sample.hpp"

#include <array>

#include "common/error.hpp"
#include "common/names.hpp"
#include "wire/fields.hpp"
#include "wire/payload.hpp"
#include "wire/protocol_error.hpp"

namespace edgeml::wire {

namespace {
using S = TelemetrySample;
// Ranges are what a real board can report; anything outside is a unit mix-up or a broken reading.
constexpr std::array<SampleNumberField, 11> kNumberFields{{
    {"cpu_usage_ratio", &S::cpu_usage_ratio, {0, 1}},
    {"memory_used_ratio", &S::memory_used_ratio, {0, 1}},
    {"storage_used_ratio", &S::storage_used_ratio, {0, 1}},
    {"temperature_c", &S::temperature_c, {-100, 200}},
    {"power_w", &S::power_w, {0, 10000}},
    {"energy_per_inference_j", &S::energy_per_inference_j, {0, 1e6}},
    {"inference_per_s", &S::inference_per_s, {0, 1e7}},
    {"inference_latency_p50_s", &S::inference_latency_p50_s, {0, 3600}},
    {"idle_power_w", &S::idle_power_w, {0, 10000}},
    {"duty_cycle", &S::duty_cycle, {0, 1}},
    {"energy_per_hour_mwh", &S::energy_per_hour_mwh, {0, 1e7}},
}};
}  // namespace

std::span<const SampleNumberField> sample_number_fields() { return kNumberFields; }

nlohmann::json to_json(const TelemetrySample& s) {
  nlohmann::json j{{"seq", s.seq}, {"t", s.t}};
  for (const auto& f : kNumberFields) j[f.name] = json_or_null(s.*f.member);
  j["active_model"] = json_or_null(s.active_model);
  if (s.detail) j["detail"] = *s.detail;
  return j;
}

TelemetrySample sample_from_json(const nlohmann::json& j, const std::string& p) {
  if (!j.is_object()) throw FieldError(p.empty() ? "sample" : p.substr(0, p.size() - 1), "a sample must be an object");
  TelemetrySample s;
  // common/json_fields names the field it reads in its errors; to name the sample too ("samples[3].t"), each value is
  // read from a one-entry object keyed by its prefixed name.
  auto field = [&](const char* name) { return p + name; };
  auto one = [&](const char* name) {
    auto it = j.find(name);
    return nlohmann::json{{field(name), it == j.end() ? nlohmann::json() : *it}};
  };
  s.seq = require_whole(one("seq"), field("seq"), 1, kMaxWhole);
  s.t = require_time(one("t"), field("t"));
  for (const auto& f : kNumberFields) s.*f.member = optional_number(one(f.name), field(f.name), f.range);
  s.active_model = optional_string(one("active_model"), field("active_model"), 128);
  if (s.active_model) validate_name(*s.active_model, field("active_model"));
  if (auto it = j.find("detail"); it != j.end() && !it->is_null()) {
    if (!it->is_object()) throw FieldError(field("detail"), "'" + field("detail") + "' must be a JSON object");
    s.detail = *it;
  }
  return s;
}

nlohmann::json to_json(const TelemetryBatch& b) {
  nlohmann::json samples = nlohmann::json::array();
  for (const auto& s : b.samples) samples.push_back(to_json(s));
  return {{"v", kWireVersion}, {"device", b.device}, {"stream", b.stream}, {"samples", std::move(samples)}};
}

std::string encode(const TelemetryBatch& b) { return to_json(b).dump(); }

TelemetryBatch parse_telemetry_batch(std::string_view payload, const std::string& topic_device) {
  auto m = parse_message(payload, kMaxTelemetryBytes);
  TelemetryBatch b;
  b.device = require_device(m, topic_device);
  b.stream = require_string(m, "stream", 64);
  validate_name(b.stream, "stream");
  auto it = m.find("samples");
  if (it == m.end() || !it->is_array()) throw FieldError("samples", "'samples' must be a list of samples");
  if (it->empty()) throw FieldError("samples", "'samples' must not be empty");
  if (it->size() > kMaxSamplesPerBatch)
    throw ProtocolError(Refusal::oversized, "samples",
                        "'samples' holds " + std::to_string(it->size()) + " samples, the limit is " +
                            std::to_string(kMaxSamplesPerBatch));
  b.samples.reserve(it->size());
  for (size_t i = 0; i < it->size(); ++i) {
    std::string prefix = "samples[" + std::to_string(i) + "].";
    auto s = sample_from_json((*it)[i], prefix);
    if (!b.samples.empty() && s.seq <= b.samples.back().seq)
      throw FieldError(prefix + "seq", "sequence numbers in a batch must increase (" + std::to_string(s.seq) +
                                           " after " + std::to_string(b.samples.back().seq) + ")");
    b.samples.push_back(std::move(s));
  }
  return b;
}

}  // namespace edgeml::wire
