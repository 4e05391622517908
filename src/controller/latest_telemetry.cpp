#include "controller/latest_telemetry.hpp"

#include <optional>

#include "common/error.hpp"
#include "controller/agent_client.hpp"

namespace edgeml::controller {

LatestTelemetry::LatestTelemetry(const Clock& clock, Fetch fetch, double retry_after_s)
    : clock_(clock), fetch_(std::move(fetch)), retry_after_s_(retry_after_s) {}

std::shared_ptr<LatestTelemetry::Entry> LatestTelemetry::entry(long long device_id) {
  std::lock_guard lock(mu_);
  auto& e = entries_[device_id];
  if (!e) e = std::make_shared<Entry>();
  return e;
}

void LatestTelemetry::remember(long long device_id, double t, nlohmann::json telemetry) {
  auto e = entry(device_id);
  std::lock_guard lock(e->mu);
  if (e->have && e->reading.t > t) return;  // a reader's fetch was newer
  e->reading = {std::move(telemetry), t, "poll", ""};
  e->have = true;
  e->failed_at = -1;
}

void LatestTelemetry::forget(long long device_id) {
  std::lock_guard lock(mu_);
  entries_.erase(device_id);
}

LatestTelemetry::Reading LatestTelemetry::latest(const store::Device& device, double max_age_s) {
  auto e = entry(device.id);
  auto fresh = [&]() -> std::optional<Reading> {
    std::lock_guard lock(e->mu);
    if (e->have && clock_.now_s() - e->reading.t <= max_age_s) return e->reading;
    return std::nullopt;
  };
  auto stale = [&](const std::string& why) -> Reading {
    std::lock_guard lock(e->mu);
    if (!e->have)
      throw Error(ErrorKind::upstream_failed, "no telemetry from device '" + device.name + "' yet: " + why, "id");
    Reading r = e->reading;
    r.error = why;
    return r;
  };
  if (auto r = fresh()) return *r;
  std::lock_guard fetching(e->fetch_mu);
  if (auto r = fresh()) return *r;  // fetched by another reader while this one waited
  std::string recent_failure;       // a failure younger than retry_after_s is answered again, not retried
  {
    std::lock_guard lock(e->mu);
    if (e->failed_at >= 0 && clock_.now_s() - e->failed_at < retry_after_s_) recent_failure = e->failure;
  }
  if (!recent_failure.empty()) return stale(recent_failure);
  nlohmann::json answer;
  try {
    answer = fetch_(device);
  } catch (const std::exception& ex) {
    // Never fetched here (an MQTT device): said as it is, not a failure to retry or to answer with stale figures.
    if (auto* err = dynamic_cast<const Error*>(&ex); err && err->kind() == ErrorKind::unavailable) throw;
    {
      std::lock_guard lock(e->mu);
      e->failed_at = clock_.now_s();
      e->failure = ex.what();
    }
    return stale(ex.what());
  }
  std::lock_guard lock(e->mu);
  e->reading = {std::move(answer), clock_.now_s(), "agent", ""};
  e->have = true;
  e->failed_at = -1;
  return e->reading;
}

LatestTelemetry::Fetch agent_telemetry_fetch(int timeout_s) {
  return [timeout_s](const store::Device& d) -> nlohmann::json {
    if (d.transport != "lan")
      throw Error(ErrorKind::unavailable,
                  "device '" + d.name + "' uses the " + d.transport +
                      " transport: the controller does not call its agent, so its full "
                      "telemetry is not here (the stored samples are)",
                  "id");
    AgentClient agent(d.address, d.token, timeout_s);
    AgentReply r;
    try {
      r = agent.get("/telemetry");
    } catch (const AgentUnreachable& e) {
      throw Error(ErrorKind::upstream_failed,
                  std::string("no answer from the agent at ") + d.address + ": " + e.what());
    }
    if (r.status != 200)
      throw Error(ErrorKind::upstream_failed, "GET /telemetry of the agent at " + d.address + " answered HTTP " +
                                                  std::to_string(r.status) + ": " + r.error_text());
    if (!r.body.is_object())
      throw Error(ErrorKind::upstream_failed, "GET /telemetry of the agent at " + d.address + " was not a JSON object");
    return r.body;
  };
}

}  // namespace edgeml::controller
