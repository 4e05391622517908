#pragma once
// Telemetry batches from MQTT agents into the store: the MQTT thread queues parsed batches (cheap), one writer thread
// stores everything queued in one transaction every interval (SQLite takes thousands of rows per transaction; one
// transaction per message would not keep up with a fleet). De-duplication is the store's UNIQUE (device, stream, seq):
// a resent sample is counted as a duplicate, not stored twice. Each stored batch is counted in wire::IngestMetrics
// (samples stored, duplicates, ingest lag = storing time minus the agent's sample time) and the newest sample of each
// device is published on "telemetry/<device id>" for the live stream.
//
// The queue is bounded: when it is full the MQTT thread waits (the broker then holds the rest), nothing is dropped.
// stop() stores what is queued before returning.
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include "common/clock.hpp"
#include "controller/event_hub.hpp"
#include "controller/fleet_observer.hpp"
#include "store/store.hpp"
#include "wire/ingest_metrics.hpp"
#include "wire/telemetry_sample.hpp"

namespace edgeml::controller {

struct IngestSettings {
  double interval_s = 0.05;          // how long a batch may wait in the queue (ingest lag adds this at most)
  std::size_t max_queued = 200'000;  // samples
};

class TelemetryIngest {
 public:
  TelemetryIngest(store::Store& db, EventHub& events, const Clock& clock, IngestSettings settings = {});
  ~TelemetryIngest();
  void start();
  void stop();  // stores what is queued, then joins
  // From the MQTT thread. device_id: the registered device the batch's topic names.
  void submit(long long device_id, wire::TelemetryBatch batch);
  wire::IngestMetrics& metrics() { return metrics_; }
  // Stores everything queued now (the writer thread's step; tests call it directly).
  void flush();
  // Told of the samples stored (not of duplicates); set before start().
  void set_observer(FleetObserver* observer) { observer_ = observer; }

 private:
  struct Queued {
    long long device_id;
    wire::TelemetryBatch batch;
  };
  void run();

  store::Store& db_;
  EventHub& events_;
  const Clock& clock_;
  IngestSettings settings_;
  wire::IngestMetrics metrics_;
  std::mutex mu_;
  std::condition_variable cv_, room_cv_;
  std::deque<Queued> queue_;
  std::size_t queued_samples_ = 0;
  bool stop_ = false;
  FleetObserver* observer_ = nullptr;
  std::mutex flush_mu_;  // one writer at a time
  std::thread thread_;
};

}  // namespace edgeml::controller
