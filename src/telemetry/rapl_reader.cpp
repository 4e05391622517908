// x86 powercap RAPL: /sys/class/powercap/intel-rapl:N/energy_uj, a microjoule counter that wraps at
// max_energy_range_uj (kernel Documentation/power/powercap/powercap.rst). Power is the counter delta over the time
// between two reads. Top-level zones (intel-rapl:N) are packages, plus psys on some laptops; the total is the sum of
// the package zones (CPU package power, not wall power). Since Linux 5.10 energy_uj is root-only: EACCES makes the
// source unavailable with that reason, never a zero.
#include <cerrno>
#include <map>
#include <regex>

#include "common/strings.hpp"
#include "telemetry/energy.hpp"
#include "telemetry/readers.hpp"
#include "telemetry/sysfs.hpp"

namespace edgeml::telemetry {

namespace {
class RaplReader final : public Reader {
 public:
  explicit RaplReader(const Roots& roots) : dir_(roots.sysfs / "class" / "powercap") {}
  std::string name() const override { return "rapl"; }

  void read(Snapshot& out, double now_s) override {
    static const std::regex top_zone(R"(intel-rapl:\d+)");
    PowerSection p;
    double package_watts = 0, package_joules = 0;
    bool all_package_watts = true;
    int packages = 0;
    std::string denied;
    for (const auto& zone : list_entries(dir_, "intel-rapl:")) {
      std::string id = zone.filename().string();
      if (!std::regex_match(id, top_zone)) continue;  // subzones (core, uncore, dram) are parts of a package
      auto energy = read_attribute(zone / "energy_uj");
      if (!energy.text) {
        if (energy.error == EACCES || energy.error == EPERM) denied += (denied.empty() ? "" : ", ") + id;
        continue;
      }
      auto uj = parse_double(*energy.text);
      if (!uj) continue;
      auto range = read_number(zone / "max_energy_range_uj");
      std::string zone_name = read_text(zone / "name").value_or(id);
      auto step = trackers_[id].update(*uj / 1e6, now_s, range ? std::optional<double>(*range / 1e6) : std::nullopt);
      PowerRail r;
      r.rail = zone_name;
      r.watts = step.watts;
      if (zone_name.rfind("package", 0) == 0) {
        r.is_total = true;
        ++packages;
        package_joules += step.joules_since_start;
        if (step.watts)
          package_watts += *step.watts;
        else
          all_package_watts = false;
      }
      p.rails.push_back(std::move(r));
    }
    if (packages == 0) {
      if (!denied.empty()) out.power.reason = "powercap rapl: energy_uj needs root (EACCES on " + denied + ")";
      return;
    }
    p.available = true;
    p.source = "rapl";
    p.energy_counter_joules = package_joules;
    if (all_package_watts) {
      p.total_watts = package_watts;
      p.total_method = packages == 1 ? "rapl package counter" : "sum of " + std::to_string(packages) + " rapl packages";
    } else {
      p.total_method = "rapl package counter (power needs a second read)";
    }
    out.power = std::move(p);
  }

 private:
  std::filesystem::path dir_;
  std::map<std::string, CounterTracker> trackers_;
};
}  // namespace

std::unique_ptr<Reader> make_rapl_reader(const Roots& roots) { return std::make_unique<RaplReader>(roots); }

}  // namespace edgeml::telemetry
