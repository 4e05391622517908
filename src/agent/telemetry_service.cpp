#include "agent/telemetry_service.hpp"

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <sstream>

#include "common/error.hpp"
#include "common/log.hpp"
#include "common/periodic.hpp"
#include "common/strings.hpp"
#include "telemetry/collector.hpp"
#include "telemetry/energy.hpp"
#include "telemetry/history.hpp"
#include "telemetry/inference_energy.hpp"
#include "telemetry/json.hpp"
#include "telemetry/prometheus.hpp"

namespace edgeml::agent {

struct TelemetryService::Impl {
  Impl(const AgentOptions& o, const Clock& c, const ModelHost& h, const InferenceLoop& l)
      : hz(o.telemetry_hz),
        clock(c),
        host(h),
        loop(l),
        collector(telemetry::Roots{o.sysfs_root, o.procfs_root, o.state_dir, o.vcgencmd, o.rootfs}, c),
        // At least one hour, whatever the rate (the issue asks for >= 1 h at 1 Hz).
        history(static_cast<size_t>(std::max(3600.0, 3600.0 * o.telemetry_hz))) {}

  void sample_once() {
    auto s = collector.sample();
    const telemetry::BusyCounters busy = loop.busy();
    std::lock_guard lock(mu);
    auto gen = host.generation();
    if (gen != model_generation) {  // a new active model: its energy starts at zero
      model_generation = gen;
      model_energy = telemetry::InferenceEnergy();
    }
    telemetry::PowerReading reading;
    reading.t_s = s.timestamp_s;
    if (s.power.available) {
      reading.watts = s.power.total_watts;
      reading.counter_joules = s.power.energy_counter_joules;
      reading.source = s.power.source + (s.power.total_method.empty() ? "" : " (" + s.power.total_method + ")");
    }
    model_energy.add(reading, busy);
    history.push(s);
    last = std::move(s);
    have_last = true;
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
  telemetry::InferenceEnergy model_energy;  // since the active model changed

  std::function<void()> listener;  // set before start()
  std::function<void(const telemetry::Snapshot&)> snapshot_listener;
  void tell_snapshot() {
    if (!snapshot_listener) return;
    telemetry::Snapshot copy;
    {
      std::lock_guard lock(mu);
      copy = last;
    }
    snapshot_listener(copy);
  }
  PeriodicTask sampler{"agent telemetry", 1.0 / hz, [this] {
                         sample_once();
                         if (listener) listener();
                         tell_snapshot();
                       }};
};

TelemetryService::TelemetryService(const AgentOptions& o, const Clock& c, const ModelHost& h, const InferenceLoop& l)
    : impl_(std::make_unique<Impl>(o, c, h, l)) {}

TelemetryService::~TelemetryService() { stop(); }

void TelemetryService::start() { impl_->sampler.start(); }

void TelemetryService::on_sample(std::function<void()> fn) { impl_->listener = std::move(fn); }

void TelemetryService::on_snapshot(std::function<void(const telemetry::Snapshot&)> fn) {
  impl_->snapshot_listener = std::move(fn);
}

void TelemetryService::stop() { impl_->sampler.stop(); }

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
  const auto& e = impl_->model_energy;
  auto active = impl_->host.active();
  if (!e.measured()) {
    std::string reason =
        impl_->have_last && !impl_->last.power.available ? impl_->last.power.reason : "no power samples yet";
    return {{"available", false}, {"reason", reason}};
  }
  // Everything the board drew while this model was active, split between the loop's inferences and idle time; the
  // per-inference figure covers busy time only (the catalog's definition), so it compares like for like.
  nlohmann::json j = e.to_json();
  j["model"] = active ? nlohmann::json(active->ref.name) : nlohmann::json();
  j["average_power_w"] = e.seconds() > 0 ? nlohmann::json(e.total_j() / e.seconds()) : nlohmann::json();
  // The field the controller's poller reads (telemetry_poller.cpp): now the gross figure, in joules, so the
  // comparison it feeds is like for like with the catalog. Same value as gross_energy_per_inference_mj / 1000.
  j["per_inference_j"] = e.gross_per_inference_j() ? nlohmann::json(*e.gross_per_inference_j()) : nlohmann::json();
  j["loop_hz"] = impl_->loop.hz();
  j["loop_running"] = impl_->loop.running();
  if (!impl_->loop.running())
    j["gross_energy_per_inference_reason"] = "the inference loop is off (--infer-hz 0): no inferences to measure";
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
    const std::string model = e["model"].get<std::string>();
    auto gauge = [&](const char* name, const char* help, const nlohmann::json& v, const char* type = "gauge") {
      if (!v.is_number()) return;  // unavailable: no sample rather than a made-up one (the JSON says why)
      out << "# HELP " << name << " " << help << "\n# TYPE " << name << " " << type << "\n"
          << name << "{model=\"" << model << "\"} " << format_number(v.get<double>(), 9) << "\n";
    };
    out << "# HELP edgeml_model_energy_joules Energy drawn by the device while the current model was active, split "
           "into the time inferences ran and idle time.\n"
        << "# TYPE edgeml_model_energy_joules counter\n"
        << "edgeml_model_energy_joules{model=\"" << model << "\"} " << format_number(e["energy_j"].get<double>(), 6)
        << "\n"
        << "edgeml_model_energy_joules{model=\"" << model << "\",part=\"inference\"} "
        << format_number(e["split_j"]["inference"].get<double>(), 6) << "\n"
        << "edgeml_model_energy_joules{model=\"" << model << "\",part=\"idle\"} "
        << format_number(e["split_j"]["idle"].get<double>(), 6) << "\n";
    gauge("edgeml_inference_gross_energy_millijoules",
          "Device energy over the time inferences run divided by their count (the catalog's definition).",
          e["gross_energy_per_inference_mj"]);
    gauge("edgeml_inference_net_energy_millijoules", "Gross energy per inference minus idle power x busy time.",
          e["net_energy_per_inference_mj"]);
    gauge("edgeml_idle_power_watts", "Mean power read while no inference ran.", e["idle_power_w"]);
    gauge("edgeml_inference_duty_cycle", "Fraction of the time the inference loop was busy.", e["duty_cycle"]);
    gauge("edgeml_energy_per_hour_milliwatt_hours", "Energy per hour at the current rate (recent window).",
          e["energy_per_hour_mwh"]);
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
