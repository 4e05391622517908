#pragma once
// The newest full GET /telemetry answer of each device: every series the agent reports (power per rail, per-core CPU,
// GPU, EMC, fans, power mode, throttling) with the agent's reason for each unavailable one. The store keeps only the
// flat columns for history; the dashboard's live view reads this (GET /api/devices/<id>/telemetry/latest).
//
// The poller hands in each answer it reads. A reader wanting something younger than the poll interval gives
// (max_age_s) has it fetched from the agent once, shared by every reader waiting at that moment, so any number of
// browsers at 1 Hz cost an agent one extra request per second. After a failed fetch, readers get that failure for
// retry_after_s instead of each waiting out its own timeout.
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>

#include "common/clock.hpp"
#include "store/records.hpp"

namespace edgeml::controller {

class LatestTelemetry {
 public:
  // Reads the agent's /telemetry now; throws (any std::exception) when there is no usable answer.
  using Fetch = std::function<nlohmann::json(const store::Device&)>;
  LatestTelemetry(const Clock& clock, Fetch fetch, double retry_after_s = 3);

  struct Reading {
    nlohmann::json telemetry;
    double t = 0;        // when the controller received it (Unix s)
    std::string source;  // "poll" (the poller's last answer) or "agent" (fetched for a reader)
    std::string error;   // set when a fresh answer was wanted but the agent gave none: `telemetry` is the last one
  };

  void remember(long long device_id, double t, nlohmann::json telemetry);
  // A reading no older than max_age_s; else the last one with `error` set; Error(upstream_failed, field "id") when
  // there has never been one.
  Reading latest(const store::Device& device, double max_age_s);
  void forget(long long device_id);

 private:
  struct Entry {
    std::mutex fetch_mu;  // one fetch per device at a time
    std::mutex mu;        // the fields below
    Reading reading;
    bool have = false;
    double failed_at = -1;
    std::string failure;
  };
  std::shared_ptr<Entry> entry(long long device_id);

  const Clock& clock_;
  Fetch fetch_;
  double retry_after_s_;
  std::mutex mu_;
  std::map<long long, std::shared_ptr<Entry>> entries_;
};

// The production fetch: GET /telemetry of the device's agent (its address and token), with a short timeout.
LatestTelemetry::Fetch agent_telemetry_fetch(int timeout_s = 2);

}  // namespace edgeml::controller
