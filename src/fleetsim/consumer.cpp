#include "fleetsim/consumer.hpp"

#include <time.h>

#include "common/clock.hpp"
#include "common/log.hpp"
#include "fleetsim/percentiles.hpp"

namespace edgeml::fleetsim {

nlohmann::json ConsumerStats::to_json() const {
  return {{"batches", batches},
          {"stored", stored},
          {"duplicates", duplicates},
          {"refused", refused},
          {"lag_s", {{"p50", lag_p50_s}, {"p99", lag_p99_s}, {"max", lag_max_s}}},
          {"cpu_s", cpu_s}};
}

Consumer::Consumer(ConsumerOptions o) : o_(std::move(o)), topics_(o_.prefix, "--prefix") {
  auto c = o_.client;
  if (c.client_id.empty()) c.client_id = "fleet-sim-consumer";
  c.receive_maximum = 1000;  // keeps up with thousands of devices without waiting on each PUBACK round trip
  c.subscriptions = {{o_.shared_group.empty() ? topics_.all_devices(wire::Channel::telemetry)
                                              : topics_.shared(o_.shared_group, wire::Channel::telemetry),
                      1}};
  mqtt::ClientCallbacks cb;
  cb.on_message = [this](const mqtt::IncomingMessage& m) { on_message(m); };
  client_ = std::make_unique<mqtt::Client>(std::move(c), std::move(cb));
  loop_.add(*client_);
  // Its own thread's CPU time, read on that thread.
  loop_.set_ticker(0.25, [this](double) {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    cpu_s_ = static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
  });
}

Consumer::~Consumer() { stop(); }

void Consumer::start() { loop_.start(); }

void Consumer::stop() {
  if (!loop_.running()) return;
  client_->close(std::nullopt, 1);
  loop_.stop();
}

bool Consumer::connected() const { return client_->connected(); }

void Consumer::on_message(const mqtt::IncomingMessage& m) {
  double arrived = SystemClock().now_s();
  wire::TelemetryBatch batch;
  try {
    batch = wire::parse_telemetry_batch(m.payload, topics_.parse(m.topic).device);
  } catch (const std::exception& e) {
    metrics_.refused(e);
    log::debug("consumer", std::string("refused (") + wire::to_string(wire::refusal_of(e)) + "): " + e.what());
    return;
  }
  batches_.fetch_add(1, std::memory_order_relaxed);
  auto fresh = wire::drop_duplicates(batch, store_);
  store_.add(batch.device, batch.stream, fresh.samples);
  metrics_.record(fresh, arrived);
  std::lock_guard lock(mu_);
  for (const auto& s : fresh.samples) lags_.push_back(arrived - s.t);
}

ConsumerStats Consumer::stats() const {
  ConsumerStats s;
  s.batches = batches_.load();
  s.stored = store_.size();
  s.duplicates = metrics_.duplicates();
  s.refused = metrics_.refusals().total();
  s.cpu_s = cpu_s_.load();
  std::vector<double> lags;
  {
    std::lock_guard lock(mu_);
    lags = lags_;
  }
  s.lag_p50_s = percentile(lags, 50);
  s.lag_p99_s = percentile(lags, 99);
  s.lag_max_s = percentile(lags, 100);
  return s;
}

}  // namespace edgeml::fleetsim
