#include "controller/telemetry_ingest.hpp"

#include <map>

#include "common/log.hpp"
#include "controller/records_json.hpp"
#include "controller/sample_convert.hpp"
#include "controller/telemetry_poller.hpp"

namespace edgeml::controller {

TelemetryIngest::TelemetryIngest(store::Store& db, EventHub& events, const Clock& clock, IngestSettings settings)
    : db_(db), events_(events), clock_(clock), settings_(settings) {}

TelemetryIngest::~TelemetryIngest() { stop(); }

void TelemetryIngest::start() {
  std::lock_guard lock(mu_);
  if (thread_.joinable()) return;
  stop_ = false;
  thread_ = std::thread([this] { run(); });
}

void TelemetryIngest::stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  flush();  // whatever came in after the thread's last round
}

void TelemetryIngest::submit(long long device_id, wire::TelemetryBatch batch) {
  std::unique_lock lock(mu_);
  // Backpressure instead of loss: the MQTT thread waits (unacknowledged messages stay with the broker).
  room_cv_.wait(lock, [&] { return queued_samples_ < settings_.max_queued || stop_; });
  queued_samples_ += batch.samples.size();
  queue_.push_back({device_id, std::move(batch)});
}

void TelemetryIngest::run() {
  while (true) {
    {
      std::unique_lock lock(mu_);
      if (cv_.wait_for(lock, std::chrono::duration<double>(settings_.interval_s), [&] { return stop_; })) return;
    }
    try {
      flush();
    } catch (const std::exception& e) {
      // Requeued by flush(); logged, and the service keeps running.
      log::error("controller", std::string("storing MQTT telemetry failed: ") + e.what());
    }
  }
}

void TelemetryIngest::flush() {
  std::lock_guard writer(flush_mu_);
  std::deque<Queued> work;
  {
    std::lock_guard lock(mu_);
    work.swap(queue_);
    queued_samples_ = 0;
  }
  room_cv_.notify_all();
  if (work.empty()) return;
  std::vector<store::TelemetrySample> rows;
  for (const auto& q : work)
    for (const auto& s : q.batch.samples) rows.push_back(to_stored_sample(q.device_id, s, q.batch.stream));
  std::vector<bool> added;
  try {
    added = db_.telemetry().add_sequenced(rows);
  } catch (...) {
    // Not stored (the database is unavailable): back to the front of the queue for the next round, nothing lost.
    std::lock_guard lock(mu_);
    for (auto it = work.rbegin(); it != work.rend(); ++it) {
      queued_samples_ += it->batch.samples.size();
      queue_.push_front(std::move(*it));
    }
    throw;
  }
  double now = clock_.now_s();
  std::map<long long, size_t> newest;  // device -> index in rows of its newest stored sample
  size_t i = 0;
  for (const auto& q : work) {
    wire::FreshSamples fresh;
    for (const auto& s : q.batch.samples) {
      if (added[i]) {
        fresh.samples.push_back(s);
        auto [it, inserted] = newest.try_emplace(q.device_id, i);
        if (!inserted && rows[i].t >= rows[it->second].t) it->second = i;
      } else {
        ++fresh.duplicates;
      }
      ++i;
    }
    metrics_.record(fresh, now);
  }
  for (const auto& [device, index] : newest)
    events_.publish(TelemetryPoller::topic(device), "sample", to_json(rows[index]));
  if (observer_) {
    std::vector<store::TelemetrySample> stored;
    for (size_t k = 0; k < rows.size(); ++k)
      if (added[k]) stored.push_back(rows[k]);
    if (!stored.empty()) observer_->samples_stored(stored);
  }
}

}  // namespace edgeml::controller
