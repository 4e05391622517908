#include "controller/telemetry_poller.hpp"

#include <atomic>

#include "common/log.hpp"
#include "controller/agent_client.hpp"
#include "controller/sample_convert.hpp"
#include "wire/agent_telemetry.hpp"

namespace edgeml::controller {

TelemetryPoller::TelemetryPoller(store::Store& db, EventHub& events, const Clock& clock, PollerSettings settings)
    : db_(db), events_(events), clock_(clock), settings_(settings) {
  events_.retain("telemetry/", 4);  // live streams need the newest sample, not a history (that is in the store)
}

TelemetryPoller::~TelemetryPoller() { stop(); }

void TelemetryPoller::start() {
  // The project's one periodic loop: fixed rate, a slow round skips missed ticks, a failed round is logged.
  task_ = std::make_unique<PeriodicTask>("telemetry poller", settings_.interval_s, [this] { round(); });
  task_->start();
}

void TelemetryPoller::stop() {
  if (task_) task_->stop();
}

void TelemetryPoller::round() {
  if (gate_ && !gate_()) return;  // another controller holds the background lease
  poll_once();
  double now = clock_.now_s();
  if (now - last_retention_ >= settings_.retention_every_s) {
    db_.telemetry().apply_retention(now, settings_.keep_s, settings_.raw_s);
    last_retention_ = now;
  }
}

TelemetryPoller::Outcome TelemetryPoller::poll_device(const Device& d) {
  std::shared_ptr<AgentClient> client;
  {
    std::lock_guard lock(clients_mu_);
    auto& c = clients_[d.id];
    if (!c || !c->talks_to(d.address, d.token))  // new, or its address or token edited since
      c = std::make_shared<AgentClient>(d.address, d.token, settings_.timeout_s, settings_.agent_tls);
    client = c;
  }
  AgentReply r;
  try {
    r = client->get("/telemetry");
  } catch (const AgentUnreachable& e) {
    return {std::nullopt, std::string("no answer: ") + e.what()};
  }
  if (r.status != 200) return {std::nullopt, "GET /telemetry answered HTTP " + std::to_string(r.status)};
  if (!r.body.is_object()) return {std::nullopt, "GET /telemetry answered something that is not a JSON object"};
  // The full answer for the live views (GET /api/devices/<id>/telemetry/latest), timed by when we received it.
  if (settings_.on_telemetry) settings_.on_telemetry(d.id, clock_.now_s(), r.body);
  // The agent's own sampling time (timestamp_s), not ours: a slow answer does not shift the series.
  auto converted = wire::sample_from_agent_telemetry(r.body, false);
  if (!converted.out_of_range.empty()) {
    std::string names;
    for (const auto& n : converted.out_of_range) names += (names.empty() ? "" : ", ") + n;
    log::warn("controller", "device " + d.name + " sent readings out of range (left null): " + names);
  }
  return {to_stored_sample(d.id, converted.sample), ""};
}

void TelemetryPoller::poll_once() {
  auto devices = db_.devices().all();
  // MQTT devices publish their telemetry and presence themselves: never polled.
  std::erase_if(devices, [](const Device& d) { return d.transport != "lan"; });
  std::vector<Outcome> outcomes(devices.size());
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i; (i = next++) < devices.size();) {
      try {
        outcomes[i] = poll_device(devices[i]);
      } catch (const std::exception& e) {
        outcomes[i] = {std::nullopt, e.what()};
      }
    }
  };
  size_t n = std::min<size_t>(settings_.workers, devices.size());
  std::vector<std::thread> pool;
  for (size_t k = 1; k < n; ++k) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();

  std::vector<TelemetrySample> samples;
  for (size_t i = 0; i < devices.size(); ++i) {
    if (outcomes[i].sample) {
      // The agent samples at its own rate: a poll that finds the same sample again stores nothing new.
      double& last = last_t_[devices[i].id];
      if (outcomes[i].sample->t <= last) {
        db_.devices().mark_seen(devices[i].id, outcomes[i].sample->t);
        continue;
      }
      last = outcomes[i].sample->t;
      samples.push_back(*outcomes[i].sample);
      if (observer_ && !devices[i].online) observer_->presence_changed(devices[i].id, true, last, "answered again");
    } else {
      if (devices[i].online) log::warn("controller", "device " + devices[i].name + " is offline: " + outcomes[i].error);
      db_.devices().mark_unreachable(devices[i].id, outcomes[i].error);
      events_.publish(topic(devices[i].id), "offline", {{"device_id", devices[i].id}, {"error", outcomes[i].error}});
      if (observer_) observer_->presence_changed(devices[i].id, false, clock_.now_s(), outcomes[i].error);
    }
  }
  db_.telemetry().add(samples);  // also marks those devices seen
  if (observer_ && !samples.empty()) observer_->samples_stored(samples);
  for (const auto& s : samples) events_.publish(topic(s.device_id), "sample", to_json(s));
}

}  // namespace edgeml::controller
