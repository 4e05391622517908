#include "fleetsim/fleet.hpp"

#include <algorithm>
#include <cstdio>
#include <random>
#include <thread>

#include "common/clock.hpp"
#include "common/error.hpp"
#include "wire/payload.hpp"

namespace edgeml::fleetsim {

nlohmann::json FleetTotals::to_json() const {
  return {{"generated", generated},
          {"skipped", skipped},
          {"sent", sent},
          {"acknowledged", acknowledged},
          {"dropped", dropped},
          {"messages", messages},
          {"unsent", backlog},
          {"unacknowledged", in_flight},
          {"link_drops", link_drops},
          {"connected", connected},
          {"connects", connects},
          {"reconnects", reconnects},
          {"connect_failures", connect_failures},
          {"connect_refused", connect_refused},
          {"connection_lost", connection_lost},
          {"publish_refused", publish_refused}};
}

void FleetTotals::add(const FleetTotals& o) {
  generated += o.generated;
  skipped += o.skipped;
  sent += o.sent;
  acknowledged += o.acknowledged;
  dropped += o.dropped;
  messages += o.messages;
  backlog += o.backlog;
  in_flight += o.in_flight;
  link_drops += o.link_drops;
  connected += o.connected;
  connects += o.connects;
  reconnects += o.reconnects;
  connect_failures += o.connect_failures;
  connect_refused += o.connect_refused;
  connection_lost += o.connection_lost;
  publish_refused += o.publish_refused;
}

Fleet::Fleet(FleetOptions o) : o_(std::move(o)), topics_(o_.prefix, "--prefix") {
  if (o_.devices < 1 || o_.devices > 100000) throw FieldError("--devices", "--devices must be 1 to 100000");
  if (!(o_.hz > 0 && o_.hz <= 100)) throw FieldError("--hz", "--hz must be > 0 and <= 100");
  if (o_.threads < 1 || o_.threads > 64) throw FieldError("--threads", "--threads must be 1 to 64");
  if (o_.drop_share < 0 || o_.drop_share > 1) throw FieldError("--drop-share", "--drop-share must be 0 to 1");
  if (!(o_.drop_for_s > 0)) throw FieldError("--drop-seconds", "--drop-seconds must be > 0");
  if (o_.max_batch < 1 || o_.max_batch > wire::kMaxSamplesPerBatch)
    throw FieldError("--batch", "--batch must be 1 to " + std::to_string(wire::kMaxSamplesPerBatch));
  if (o_.total_devices == 0) o_.total_devices = o_.devices;
  for (const auto& t : o_.device_types) device_kind(t);  // throws for an unknown type
}

Fleet::~Fleet() {
  for (auto& l : loops_) l->stop();
  devices_.clear();  // clients detach from stopped loops
  loops_.clear();
}

void Fleet::start() {
  SystemClock clock;
  double now = clock.monotonic_s();
  double period = 1 / o_.hz;
  std::mt19937_64 rng(o_.seed);
  std::uniform_real_distribution<double> when(0.1 * o_.run_s, 0.7 * o_.run_s);
  // Which devices drop: every device draws, so the choice does not depend on how the fleet is split over workers.
  std::vector<std::optional<double>> drop_at(static_cast<std::size_t>(o_.total_devices));
  std::uniform_real_distribution<double> coin(0, 1);
  for (auto& d : drop_at) {
    bool drops = coin(rng) < o_.drop_share;
    double at = when(rng);
    if (drops) d = now + at;
  }
  for (int t = 0; t < o_.threads; ++t) {
    loops_.push_back(std::make_unique<mqtt::EventLoop>());
    devices_.emplace_back();
  }
  std::vector<std::string> type_of;
  for (int i = 0; i < o_.devices; ++i) {
    int index = o_.first_index + i;
    DeviceSettings s;
    char name[64];
    std::snprintf(name, sizeof name, "%s-%05d", o_.name_prefix.c_str(), index);
    s.name = name;
    const auto& type = o_.device_types[static_cast<std::size_t>(index) % o_.device_types.size()];
    s.kind = &device_kind(type);
    std::vector<const ModelFigures*> candidates;
    for (const auto& m : o_.models)
      if (m.device_type == type) candidates.push_back(&m);
    if (!candidates.empty()) s.model = *candidates[static_cast<std::size_t>(index) % candidates.size()];
    s.seed = o_.seed * 1'000'003 + static_cast<std::uint64_t>(index);
    s.client.broker = o_.broker;
    s.client.credentials = o_.credentials;
    s.client.tls = o_.tls;
    s.client.protocol = o_.protocol;
    s.client.keepalive_s = o_.keepalive_s;
    s.client.seed = s.seed;
    s.topics = &topics_;
    s.period_s = period;
    // Spread over one period so the broker sees a steady stream, not a burst each second.
    s.first_sample_mono_s = now + period * static_cast<double>(index) / o_.total_devices;
    s.drop_at_mono_s = drop_at[static_cast<std::size_t>(index) % drop_at.size()];
    s.drop_for_s = o_.drop_for_s;
    s.max_backlog = o_.max_backlog;
    s.max_batch = o_.max_batch;
    s.window = o_.window;
    auto& group = devices_[static_cast<std::size_t>(i % o_.threads)];
    group.push_back(std::make_unique<SimulatedDevice>(std::move(s)));
  }
  for (std::size_t t = 0; t < loops_.size(); ++t) {
    auto* group = &devices_[t];
    for (auto& d : *group) loops_[t]->add(d->client());
    // Ticks a few times per sample period, so each sample goes out close to its time.
    loops_[t]->set_ticker(std::clamp(period / 20, 0.002, 0.05), [group](double mono_now) {
      double wall = SystemClock().now_s();
      for (auto& d : *group) d->tick(mono_now, wall);
    });
    loops_[t]->start();
  }
}

void Fleet::stop_generating() {
  for (auto& group : devices_)
    for (auto& d : group) d->stop_generating();
}

bool Fleet::drained() const {
  for (const auto& group : devices_)
    for (const auto& d : group)
      if (!d->drained()) return false;
  return true;
}

void Fleet::close(double timeout_s) {
  // One closing thread per loop: each waits for its devices' farewells in turn.
  std::vector<std::thread> closers;
  for (auto& group : devices_)
    closers.emplace_back([&group, timeout_s] {
      for (auto& d : group) d->close(timeout_s);
    });
  for (auto& c : closers) c.join();
  for (auto& l : loops_) l->stop();
}

FleetTotals Fleet::totals() const {
  FleetTotals t;
  for (const auto& group : devices_)
    for (const auto& d : group) {
      const auto& c = d->counts();
      t.generated += c.generated.load();
      t.skipped += c.skipped.load();
      t.sent += c.sent.load();
      t.acknowledged += c.acknowledged.load();
      t.dropped += c.dropped.load();
      t.messages += c.messages.load();
      t.backlog += c.backlog.load();
      t.in_flight += c.in_flight.load();
      t.link_drops += c.link_drops.load();
      const auto& m = d->client().counters();
      t.connected += d->client().connected() ? 1 : 0;
      auto connects = m.connects.load();
      t.connects += connects;
      t.reconnects += connects > 1 ? connects - 1 : 0;
      t.connect_failures += m.connect_failed.load();
      t.connect_refused += m.connect_refused.load();
      t.connection_lost += m.connection_lost.load();
      t.publish_refused += m.publish_refused.load();
    }
  return t;
}

}  // namespace edgeml::fleetsim
