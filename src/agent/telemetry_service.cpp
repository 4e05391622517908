#include "agent/telemetry_service.hpp"

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <sstream>
#include <thread>

#include "common/error.hpp"
#include "common/log.hpp"
#include "common/strings.hpp"
#include "telemetry/collector.hpp"
#include "telemetry/energy.hpp"
#include "telemetry/history.hpp"
#include "telemetry/json.hpp"
#include "telemetry/prometheus.hpp"

namespace edgeml::agent {

struct TelemetryService::Impl {
  Impl(const AgentOptions& o, const Clock& c, const ModelHost& h, const InferenceLoop& l)
      : hz(o.telemetry_hz),
        clock(c),
        host(h),
        loop(l),
        collector(telemetry::Roots{o.sysfs_root, o.procfs_root, o.state_dir, o.vcgencmd}, c),
        // At least one hour, whatever the rate (the issue asks for >= 1 h at 1 Hz).
        history(static_cast<size_t>(std::max(3600.0, 3600.0 * o.telemetry_hz))) {}

  void sample_once() {
    auto s = collector.sample();
    std::lock_guard lock(mu);
    auto gen = host.generation();
    if (gen != model_generation) {  // a new active model: its energy starts at zero
      model_generation = gen;
      model_energy = telemetry::EnergyIntegrator();
      loop_count_at_model_start = loop.stats().count();
    }
    model_energy.add(s);
    history.push(s);
    last = std::move(s);
    have_last = true;
  }

  void run() {
    auto period = std::chrono::duration<double>(1.0 / hz);
    auto next = std::chrono::steady_clock::now();
    while (true) {
      try {
        sample_once();
      } catch (const std::exception& e) {
        log::error("agent", std::string("telemetry sample failed: ") + e.what());
      }
      next += std::chrono::duration_cast<std::chrono::steady_clock::duration>(period);
      std::unique_lock lock(stop_mu);
      if (stop_cv.wait_until(lock, next, [this] { return stopping; })) return;
    }
  }

  double hz;
  const Clock& clock;
  const ModelHost& host;
  const InferenceLoop& loop;
  telemetry::Collector collector;
  telemetry::History history;

  std::mutex mu;  // guards what follows
  telemetry::Snapshot last;
  bool have_last = false;
  std::uint64_t model_generation = ~0ull;
  telemetry::EnergyIntegrator model_energy;
  std::uint64_t loop_count_at_model_start = 0;

  std::thread thread;
  std::mutex stop_mu;
  std::condition_variable stop_cv;
  bool stopping = false;
};

TelemetryService::TelemetryService(const AgentOptions& o, const Clock& c, const ModelHost& h, const InferenceLoop& l)
    : impl_(std::make_unique<Impl>(o, c, h, l)) {}

TelemetryService::~TelemetryService() { stop(); }

void TelemetryService::start() {
  if (impl_->thread.joinable()) return;
  impl_->thread = std::thread([this] { impl_->run(); });
}

void TelemetryService::stop() {
  {
    std::lock_guard lock(impl_->stop_mu);
    impl_->stopping = true;
  }
  impl_->stop_cv.notify_all();
  if (impl_->thread.joinable()) impl_->thread.join();
}

nlohmann::json TelemetryService::latest() {
  {
    std::lock_guard lock(impl_->mu);
    if (impl_->have_last) return telemetry::to_json(impl_->last);
  }
  impl_->sample_once();
  std::lock_guard lock(impl_->mu);
  return telemetry::to_json(impl_->last);
}

nlohmann::json TelemetryService::history(double since_s) {
  nlohmann::json samples = nlohmann::json::array();
  for (const auto& s : impl_->history.since(since_s)) samples.push_back(telemetry::to_json(s));
  return {{"samples", samples}, {"capacity", impl_->history.capacity()}, {"interval_s", 1.0 / impl_->hz}};
}

nlohmann::json TelemetryService::energy() {
  std::lock_guard lock(impl_->mu);
  auto& e = impl_->model_energy;
  auto active = impl_->host.active();
  if (!e.measured()) {
    std::string reason =
        impl_->have_last && !impl_->last.power.available ? impl_->last.power.reason : "no power samples yet";
    return {{"available", false}, {"reason", reason}};
  }
  nlohmann::json j{{"available", true},
                   {"model", active ? nlohmann::json(active->ref.name) : nlohmann::json()},
                   {"energy_j", e.joules()},
                   {"seconds", e.seconds()},
                   {"method", e.method()}};
  auto avg = e.average_watts();
  j["average_power_w"] = avg ? nlohmann::json(*avg) : nlohmann::json();
  // Device energy per inference of the continuous loop: everything the board drew while the model was active,
  // divided by the inferences run meanwhile (includes idle draw between inferences).
  auto n = impl_->loop.stats().count() - impl_->loop_count_at_model_start;
  j["loop_inferences"] = n;
  j["per_inference_j"] = (impl_->loop.running() && n > 0) ? nlohmann::json(e.joules() / n) : nlohmann::json();
  return j;
}

std::string TelemetryService::prometheus() {
  telemetry::Snapshot s;
  {
    std::lock_guard lock(impl_->mu);
    if (impl_->have_last) s = impl_->last;
  }
  if (s.timestamp_s == 0) {
    impl_->sample_once();
    std::lock_guard lock(impl_->mu);
    s = impl_->last;
  }
  std::ostringstream out;
  out << telemetry::to_prometheus(s);
  auto e = energy();
  if (e.value("available", false) && e["model"].is_string()) {
    out << "# HELP edgeml_model_energy_joules Energy drawn by the device while the current model was active.\n"
        << "# TYPE edgeml_model_energy_joules counter\n"
        << "edgeml_model_energy_joules{model=\"" << e["model"].get<std::string>() << "\"} "
        << format_number(e["energy_j"].get<double>(), 6) << "\n";
  }
  return out.str();
}

void TelemetryService::submit_energy(const nlohmann::json& body) {
  try {
    impl_->collector.meter().submit(body, impl_->clock.now_s());
  } catch (const telemetry::RateLimitError& e) {
    throw Error(ErrorKind::rate_limited, e.what());
  }
}

TelemetryService::EnergyCounter TelemetryService::energy_counter() {
  impl_->sample_once();
  EnergyCounter counter;
  std::lock_guard lock(impl_->mu);
  const auto& s = impl_->last;
  if (!s.power.available) {
    counter.reason = s.power.reason;
    return counter;
  }
  counter.available = true;
  counter.name = s.power.source + (s.power.total_method.empty() ? "" : " (" + s.power.total_method + ")");
  counter.joules = [impl = impl_.get()]() -> std::optional<double> {
    impl->sample_once();
    std::lock_guard lock(impl->mu);
    if (!impl->last.energy.available) return std::nullopt;
    return impl->last.energy.total_joules;
  };
  return counter;
}

}  // namespace edgeml::agent
