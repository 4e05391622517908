#include "fleetsim/simulated_device.hpp"

#include "common/clock.hpp"
#include "wire/device_status.hpp"

namespace edgeml::fleetsim {

namespace {
constexpr int kMaxCatchUp = 10;  // samples made at once when a tick comes late; beyond that they are skipped
}

SimulatedDevice::SimulatedDevice(DeviceSettings s)
    : s_(std::move(s)), walk_(*s_.kind, s_.model, s_.seed), next_sample_mono_s_(s_.first_sample_mono_s) {
  telemetry_topic_ = s_.topics->topic(s_.name, wire::Channel::telemetry);
  status_topic_ = s_.topics->topic(s_.name, wire::Channel::status);
  stream_ = "sim" + std::to_string(s_.seed);
  auto o = s_.client;
  o.client_id = s_.name;
  o.will = mqtt::OutgoingMessage{status_topic_, wire::encode(wire::last_will_status(s_.name)), 1, true};
  o.log_connections = false;
  mqtt::ClientCallbacks cb;
  cb.on_delivered = [this](std::uint64_t tag) { on_delivered(tag); };
  cb.on_connection = [this](const mqtt::ConnectionEvent& e) { on_connection(e); };
  client_ = std::make_unique<mqtt::Client>(std::move(o), std::move(cb));
}

void SimulatedDevice::on_connection(const mqtt::ConnectionEvent& e) {
  if (!e.connected) return;
  // The retained presence, fresh at each connect (as the agent does).
  wire::DeviceStatus online;
  online.device = s_.name;
  online.at = SystemClock().now_s();
  online.agent_version = "fleet-sim";
  online.active_model = s_.model ? std::optional<std::string>(s_.model->name) : std::nullopt;
  client_->publish(status_topic_, wire::encode(online), 1, true);
  publish_batches();
}

void SimulatedDevice::tick(double mono_now, double wall_now) {
  if (s_.drop_at_mono_s && mono_now >= *s_.drop_at_mono_s) {
    s_.drop_at_mono_s.reset();
    client_->drop_link(s_.drop_for_s);
    counts_.link_drops.fetch_add(1, std::memory_order_relaxed);
  }
  int made = 0;
  while (generating_.load(std::memory_order_relaxed) && mono_now >= next_sample_mono_s_) {
    if (made == kMaxCatchUp) {
      // Far behind (an overloaded simulator): skip to now and say so, rather than bursting.
      auto behind = static_cast<std::uint64_t>((mono_now - next_sample_mono_s_) / s_.period_s) + 1;
      counts_.skipped.fetch_add(behind, std::memory_order_relaxed);
      next_sample_mono_s_ += static_cast<double>(behind) * s_.period_s;
      break;
    }
    // Taken now, as an agent takes it: its time is when it exists, so the ingest lag measures only the way to the
    // controller (a tick's lateness is not in it).
    double t = wall_now;
    auto sample = walk_.next(t, last_sample_wall_s_ == 0 ? s_.period_s : t - last_sample_wall_s_);
    last_sample_wall_s_ = t;
    sample.seq = next_seq_++;
    if (backlog_.size() >= s_.max_backlog) {
      backlog_.pop_front();
      counts_.dropped.fetch_add(1, std::memory_order_relaxed);
    }
    backlog_.push_back(std::move(sample));
    counts_.generated.fetch_add(1, std::memory_order_relaxed);
    next_sample_mono_s_ += s_.period_s;
    ++made;
  }
  publish_batches();
}

void SimulatedDevice::publish_batches() {
  while (client_->connected() && window_.size() < s_.window && !backlog_.empty()) {
    wire::TelemetryBatch batch{s_.name, stream_, {}};
    std::size_t n = std::min(s_.max_batch, backlog_.size());
    batch.samples.assign(backlog_.begin(), backlog_.begin() + static_cast<std::ptrdiff_t>(n));
    std::uint64_t tag = next_tag_++;
    if (!client_->publish(telemetry_topic_, wire::encode(batch), 1, false, tag)) break;
    backlog_.erase(backlog_.begin(), backlog_.begin() + static_cast<std::ptrdiff_t>(n));
    window_.push_back({tag, n});
    counts_.sent.fetch_add(n, std::memory_order_relaxed);
    counts_.messages.fetch_add(1, std::memory_order_relaxed);
  }
  counts_.backlog.store(backlog_.size(), std::memory_order_relaxed);
  std::size_t in_flight = 0;
  for (const auto& w : window_) in_flight += w.samples;
  counts_.in_flight.store(in_flight, std::memory_order_relaxed);
}

void SimulatedDevice::on_delivered(std::uint64_t tag) {
  for (auto it = window_.begin(); it != window_.end(); ++it)
    if (it->tag == tag) {
      counts_.acknowledged.fetch_add(it->samples, std::memory_order_relaxed);
      window_.erase(it);
      break;
    }
  publish_batches();
}

void SimulatedDevice::close(double timeout_s) {
  wire::DeviceStatus bye;
  bye.device = s_.name;
  bye.state = wire::Presence::offline;
  bye.reason = wire::PresenceReason::clean_shutdown;
  bye.at = SystemClock().now_s();
  client_->close(mqtt::OutgoingMessage{status_topic_, wire::encode(bye), 1, true}, timeout_s);
}

}  // namespace edgeml::fleetsim
