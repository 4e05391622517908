#pragma once
// Store-and-forward's "forward": sends the spool's samples, oldest first, as telemetry batches (QoS 1), and
// acknowledges them in the spool only when the broker confirmed them, in order. A window of a few batches is in flight
// at a time.
//
// Nothing is lost and little is sent twice: the transport (libmosquitto) resends its in-flight batches after a
// reconnect within the process; a new process starts from the spool's oldest unacknowledged sample; a batch without
// confirmation after ack_timeout_s while connected is treated as lost and everything from the oldest unconfirmed
// sample is sent again. Duplicates are expected and removed by the controller (wire/dedup.hpp).
//
// Wiring (the agent): publish = mqtt::Client::publish with the given tag; on_delivered <- the client's on_delivered;
// on_connected / on_disconnected <- its on_connection; pump() after each append and on a timer. Thread-safe.
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>

#include "common/clock.hpp"
#include "spool/telemetry_spool.hpp"
#include "wire/topics.hpp"

namespace edgeml::spool {

struct ForwarderOptions {
  std::string device;
  std::string topic;  // wire::TopicScheme::topic(device, Channel::telemetry)
  std::size_t max_batch_samples = 50;
  std::size_t max_batch_bytes = 256 * 1024;  // of sample JSON; under wire::kMaxTelemetryBytes
  std::size_t window = 4;                    // batches awaiting confirmation
  double ack_timeout_s = 30;
};

struct ForwarderStats {
  std::uint64_t batches_sent = 0, samples_sent = 0;  // samples_sent counts resends too
  std::uint64_t batches_confirmed = 0, samples_confirmed = 0;
  std::uint64_t resends = 0;          // times the window was given up as lost and sent again
  std::uint64_t unreadable = 0;       // spool records that were not a readable sample (skipped)
  std::uint64_t publish_refused = 0;  // publish() said no (not connected, transport refused)
  std::size_t in_flight = 0;
};

class Forwarder {
 public:
  // Hands one message to the transport; tag comes back through on_delivered(). false: not sent.
  using Publish = std::function<bool(const std::string& topic, const std::string& payload, std::uint64_t tag)>;

  Forwarder(TelemetrySpool& spool, ForwarderOptions options, Publish publish, const Clock& clock);

  void on_connected();
  void on_disconnected();
  void on_delivered(std::uint64_t tag);
  // Sends batches while connected, the window has room and the spool has unsent samples; gives a stalled window up.
  void pump();
  ForwarderStats stats() const;

 private:
  struct Batch {
    std::uint64_t tag;          // unique per publish: a late confirmation of a batch given up cannot confirm another
    std::uint64_t first, last;  // sequence numbers covered
    double sent_at;
    bool confirmed = false;
  };
  void pump_locked();
  void advance_locked();

  TelemetrySpool& spool_;
  ForwarderOptions opt_;
  Publish publish_;
  const Clock& clock_;
  mutable std::mutex mu_;
  bool connected_ = false;
  std::uint64_t sent_upto_;  // the last sequence number handed to the transport
  std::deque<Batch> window_;
  std::uint64_t next_tag_ = 1;
  ForwarderStats stats_;
};

}  // namespace edgeml::spool
