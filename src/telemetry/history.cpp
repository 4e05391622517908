#include "telemetry/history.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>
#include <type_traits>
#include <utility>

namespace edgeml::telemetry {

namespace {

// Every number of a Snapshot, in a fixed order. Used to clear a shape, to pack an entry and to unpack it again, so the
// three can never disagree. A numeric field missing here stays in the shape: still correct, only shared less often.
template <class S, class F>
void for_each_number(S& s, F&& f) {
  f(s.timestamp_s);
  f(s.uptime_s);
  f(s.cpu.usage_ratio);
  for (auto& v : s.cpu.per_core_ratio) f(v);
  f(s.cpu.load1);
  f(s.cpu.load5);
  f(s.cpu.load15);
  f(s.memory.total_bytes);
  f(s.memory.available_bytes);
  f(s.memory.used_ratio);
  f(s.storage.total_bytes);
  f(s.storage.free_bytes);
  f(s.storage.used_ratio);
  for (auto& r : s.thermal.readings) f(r.celsius);
  f(s.thermal.max_celsius);
  for (auto& r : s.power.rails) {
    f(r.watts);
    f(r.volts);
    f(r.amps);
  }
  f(s.power.total_watts);
  f(s.power.energy_counter_joules);
  f(s.energy.total_joules);
  // Limits that change only with the power mode (min/max clocks, a battery's full capacity) stay in the shape: they
  // are shared by every entry until they change, instead of costing 8 bytes per entry each.
  for (auto& c : s.cpu_frequency.cores) f(c.hz);
  f(s.gpu.load_ratio);
  f(s.gpu.freq_hz);
  f(s.emc.freq_hz);
  f(s.emc.load_ratio);
  for (auto& x : s.fans.fans) {
    f(x.pwm_ratio);
    f(x.rpm);
  }
  for (auto& x : s.throttle.flags) f(x.events);
  for (auto& b : s.power_supply.batteries) {
    f(b.capacity_percent);
    f(b.energy_now_wh);
    f(b.charge_now_ah);
    f(b.volts);
    f(b.amps);
    f(b.watts);
  }
}

constexpr double kNone = std::numeric_limits<double>::quiet_NaN();  // readers never produce NaN

struct Clear {
  void operator()(double& v) const { v = 0; }
  void operator()(std::optional<double>& v) const { v.reset(); }
};

struct Pack {
  std::vector<double>& out;
  void operator()(const double& v) const { out.push_back(v); }
  void operator()(const std::optional<double>& v) const { out.push_back(v ? *v : kNone); }
};

struct Unpack {
  const std::vector<double>& in;
  size_t& i;
  void operator()(double& v) const { v = in[i++]; }
  void operator()(std::optional<double>& v) const {
    double d = in[i++];
    if (std::isnan(d))
      v.reset();
    else
      v = d;
  }
};

}  // namespace

History::History(size_t capacity) : capacity_(capacity) {
  if (capacity_ == 0) throw std::invalid_argument("History capacity must be at least 1");
}

void History::push(Snapshot s) {
  Entry e;
  e.timestamp_s = s.timestamp_s;
  e.numbers.reserve(40 + s.cpu.per_core_ratio.size() + s.thermal.readings.size() + 3 * s.power.rails.size() +
                    s.cpu_frequency.cores.size() + 2 * s.fans.fans.size() + 6 * s.power_supply.batteries.size());
  for_each_number(std::as_const(s), Pack{e.numbers});
  e.numbers.shrink_to_fit();
  for_each_number(s, Clear{});

  std::lock_guard lock(mu_);
  if (last_shape_ && *last_shape_ == s)
    e.shape = last_shape_;
  else
    e.shape = last_shape_ = std::make_shared<const Snapshot>(std::move(s));
  if (ring_.size() < capacity_) {
    ring_.push_back(std::move(e));
    return;
  }
  ring_[next_] = std::move(e);
  next_ = (next_ + 1) % capacity_;
}

Snapshot History::rebuild(const Entry& e) const {
  Snapshot s = *e.shape;
  size_t i = 0;
  for_each_number(s, Unpack{e.numbers, i});
  return s;
}

std::vector<Snapshot> History::since(double t_s) const {
  std::lock_guard lock(mu_);
  std::vector<Snapshot> out;
  size_t n = ring_.size();
  size_t start = n < capacity_ ? 0 : next_;  // oldest element
  for (size_t k = 0; k < n; ++k) {
    const Entry& e = ring_[(start + k) % n];
    if (e.timestamp_s > t_s) out.push_back(rebuild(e));
  }
  return out;
}

size_t History::size() const {
  std::lock_guard lock(mu_);
  return ring_.size();
}

}  // namespace edgeml::telemetry
