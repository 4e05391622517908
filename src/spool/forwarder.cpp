#include "spool/forwarder.hpp"

#include "common/log.hpp"
#include "wire/telemetry_sample.hpp"

namespace edgeml::spool {

Forwarder::Forwarder(TelemetrySpool& spool, ForwarderOptions options, Publish publish, const Clock& clock)
    : spool_(spool), opt_(std::move(options)), publish_(std::move(publish)), clock_(clock), sent_upto_(spool.acked()) {}

void Forwarder::on_connected() {
  std::lock_guard lock(mu_);
  connected_ = true;
  // Batches in flight keep their clock from now: the transport resends them on this connection.
  double now = clock_.monotonic_s();
  for (auto& b : window_) b.sent_at = now;
  pump_locked();
}

void Forwarder::on_disconnected() {
  std::lock_guard lock(mu_);
  connected_ = false;
}

void Forwarder::on_delivered(std::uint64_t tag) {
  std::lock_guard lock(mu_);
  for (auto& b : window_)
    if (b.tag == tag && !b.confirmed) {
      b.confirmed = true;
      ++stats_.batches_confirmed;
      stats_.samples_confirmed += b.last - b.first + 1;
      break;
    }
  advance_locked();
  pump_locked();
}

void Forwarder::advance_locked() {
  // Acknowledge in order only: a confirmed batch behind an unconfirmed one waits (the spool's mark is "everything up
  // to here").
  std::uint64_t upto = 0;
  while (!window_.empty() && window_.front().confirmed) {
    upto = window_.front().last;
    window_.pop_front();
  }
  if (upto) spool_.acknowledge(upto);
}

void Forwarder::pump() {
  std::lock_guard lock(mu_);
  pump_locked();
}

void Forwarder::pump_locked() {
  if (!connected_) return;
  double now = clock_.monotonic_s();
  if (!window_.empty() && !window_.front().confirmed && now - window_.front().sent_at > opt_.ack_timeout_s) {
    log::warn("forwarder", "no confirmation for telemetry seq " + std::to_string(window_.front().first) + "-" +
                               std::to_string(window_.front().last) + " within " +
                               std::to_string(static_cast<int>(opt_.ack_timeout_s)) + " s: sending again from there");
    sent_upto_ = window_.front().first - 1;
    window_.clear();
    ++stats_.resends;
  }
  // A sample the spool dropped (size or age bounds) is simply not read: the cursor moves past it.
  sent_upto_ = std::max(sent_upto_, spool_.acked());
  while (window_.size() < opt_.window) {
    auto records = spool_.read_after(sent_upto_, opt_.max_batch_samples, opt_.max_batch_bytes);
    if (records.empty()) return;
    wire::TelemetryBatch batch{opt_.device, spool_.stream(), {}};
    for (const auto& r : records) {
      try {
        auto s = wire::sample_from_json(nlohmann::json::parse(r.payload));
        s.seq = r.seq;
        batch.samples.push_back(std::move(s));
      } catch (const std::exception& e) {
        ++stats_.unreadable;
        log::warn("forwarder", "spool record " + std::to_string(r.seq) + " is not a readable sample: " + e.what());
      }
    }
    std::uint64_t first = records.front().seq, last = records.back().seq;
    if (batch.samples.empty()) {  // nothing readable: acknowledge it away rather than stall behind it
      sent_upto_ = last;
      if (window_.empty()) spool_.acknowledge(last);
      continue;
    }
    std::uint64_t tag = next_tag_++;
    if (!publish_(opt_.topic, wire::encode(batch), tag)) {
      ++stats_.publish_refused;
      return;
    }
    window_.push_back({tag, first, last, now});
    sent_upto_ = last;
    ++stats_.batches_sent;
    stats_.samples_sent += batch.samples.size();
  }
}

ForwarderStats Forwarder::stats() const {
  std::lock_guard lock(mu_);
  auto s = stats_;
  s.in_flight = window_.size();
  return s;
}

}  // namespace edgeml::spool
