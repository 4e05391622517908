#include "wire/ingest_metrics.hpp"

#include "common/strings.hpp"

namespace edgeml::wire {

void IngestMetrics::record(const FreshSamples& f, double now_s) {
  stored_.fetch_add(f.samples.size(), std::memory_order_relaxed);
  duplicates_.fetch_add(f.duplicates, std::memory_order_relaxed);
  for (const auto& s : f.samples) {
    double lag = now_s - s.t;  // negative when the device's clock runs ahead: counted in the first bucket
    for (std::size_t i = 0; i < kLagBucketsS.size(); ++i)
      if (lag <= kLagBucketsS[i]) {
        buckets_[i].fetch_add(1, std::memory_order_relaxed);
        break;
      }
    lag_sum_.fetch_add(lag, std::memory_order_relaxed);
    count_.fetch_add(1, std::memory_order_relaxed);
  }
}

std::string IngestMetrics::prometheus() const {
  std::string out;
  out += "# HELP edgeml_telemetry_samples_stored_total Telemetry samples stored (each (device, stream, seq) once).\n";
  out += "# TYPE edgeml_telemetry_samples_stored_total counter\n";
  out += "edgeml_telemetry_samples_stored_total " + std::to_string(stored()) + "\n";
  out += "# HELP edgeml_telemetry_samples_duplicate_total Telemetry samples received again and not stored.\n";
  out += "# TYPE edgeml_telemetry_samples_duplicate_total counter\n";
  out += "edgeml_telemetry_samples_duplicate_total " + std::to_string(duplicates()) + "\n";
  out += refusals_.prometheus("edgeml_telemetry_messages_refused_total", "Telemetry messages refused, by reason.");
  out += "# HELP edgeml_telemetry_ingest_lag_seconds Time from a sample being taken to its being stored.\n";
  out += "# TYPE edgeml_telemetry_ingest_lag_seconds histogram\n";
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < kLagBucketsS.size(); ++i) {
    cumulative += buckets_[i].load(std::memory_order_relaxed);
    out += "edgeml_telemetry_ingest_lag_seconds_bucket{le=\"" + format_number(kLagBucketsS[i], 3) + "\"} " +
           std::to_string(cumulative) + "\n";
  }
  out += "edgeml_telemetry_ingest_lag_seconds_bucket{le=\"+Inf\"} " + std::to_string(lag_count()) + "\n";
  out += "edgeml_telemetry_ingest_lag_seconds_sum " + format_number(lag_sum_.load(), 6) + "\n";
  out += "edgeml_telemetry_ingest_lag_seconds_count " + std::to_string(lag_count()) + "\n";
  return out;
}

}  // namespace edgeml::wire
