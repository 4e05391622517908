#include "fleetsim/run.hpp"

#include <sys/resource.h>

#include <chrono>
#include <thread>

#include "common/clock.hpp"
#include "common/error.hpp"

namespace edgeml::fleetsim {

namespace {
double seconds_of(const timeval& tv) { return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) * 1e-6; }
}  // namespace

nlohmann::json RunResult::to_json() const {
  auto j = totals.to_json();
  j["connect_s"] = connect_s >= 0 ? nlohmann::json(connect_s) : nlohmann::json();
  j["wall_s"] = wall_s;
  j["cpu"] = {{"user_s", cpu_user_s}, {"system_s", cpu_system_s}};
  return j;
}

void ensure_descriptors(int devices) {
  rlimit lim{};
  getrlimit(RLIMIT_NOFILE, &lim);
  rlim_t need = static_cast<rlim_t>(devices) * 3 + 128;
  if (lim.rlim_cur < need && lim.rlim_max >= need) {
    lim.rlim_cur = need;
    setrlimit(RLIMIT_NOFILE, &lim);
  }
  getrlimit(RLIMIT_NOFILE, &lim);
  if (lim.rlim_cur < need)
    throw FieldError("--devices", std::to_string(devices) + " devices need about " + std::to_string(need) +
                                      " open files (3 each: the socket and libmosquitto's socketpair); the limit here "
                                      "is " +
                                      std::to_string(lim.rlim_max) + ": use --processes to spread them");
}

RunResult run_fleet(const FleetOptions& options, const RunSettings& settings) {
  RunResult r;
  SystemClock clock;
  rusage before{};
  getrusage(RUSAGE_SELF, &before);
  double t0 = clock.monotonic_s();
  Fleet fleet(options);
  fleet.start();
  double next_progress = t0 + 1;
  auto step = [&](double now) {
    auto totals = fleet.totals();
    if (r.connect_s < 0 && totals.connected == static_cast<std::uint64_t>(options.devices)) r.connect_s = now - t0;
    if (now >= next_progress) {
      next_progress += 1;
      if (settings.progress) settings.progress(now - t0, totals);
    }
  };
  for (double now = clock.monotonic_s(); now - t0 < settings.seconds; now = clock.monotonic_s()) {
    step(now);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  fleet.stop_generating();
  double drain_until = clock.monotonic_s() + settings.drain_s;
  for (double now = clock.monotonic_s(); now < drain_until && !fleet.drained(); now = clock.monotonic_s()) {
    step(now);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  r.totals = fleet.totals();
  if (settings.before_close) settings.before_close(r.totals);
  fleet.close();
  r.wall_s = clock.monotonic_s() - t0;
  rusage after{};
  getrusage(RUSAGE_SELF, &after);
  r.cpu_user_s = seconds_of(after.ru_utime) - seconds_of(before.ru_utime);
  r.cpu_system_s = seconds_of(after.ru_stime) - seconds_of(before.ru_stime);
  return r;
}

}  // namespace edgeml::fleetsim
