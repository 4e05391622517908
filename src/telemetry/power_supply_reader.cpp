// Batteries and what charges them, from the power_supply class (Documentation/ABI/testing/sysfs-class-power):
//   type       Battery | Mains | USB | Wireless | UPS ...
//   scope      "Device" for a peripheral's own battery (a wireless mouse): not the system's, skipped
//   Battery:   status (Charging, Discharging, Not charging, Full, Unknown), capacity (%),
//              energy_now / energy_full (uWh) or charge_now / charge_full (uAh), voltage_now (uV),
//              current_now (uA), power_now (uW). The ABI says negative current = discharging, but many drivers
//              (ACPI) report it positive: signs are kept as read and the status says the direction.
//   others:    online (0/1)
// Units are converted once here: Wh, Ah, V, A, W. The section is available when there is a battery.
#include "common/strings.hpp"
#include "telemetry/readers.hpp"
#include "telemetry/sysfs.hpp"

namespace edgeml::telemetry {

namespace {

namespace fs = std::filesystem;

std::optional<double> micro(const fs::path& file) {
  auto v = read_number(file);
  if (!v) return std::nullopt;
  return *v / 1e6;
}

BatteryReading read_battery(const fs::path& dir) {
  BatteryReading b;
  b.name = dir.filename().string();
  b.status = read_text(dir / "status").value_or("");
  if (auto c = read_number(dir / "capacity"); c && *c >= 0 && *c <= 100) b.capacity_percent = c;
  b.energy_now_wh = micro(dir / "energy_now");
  b.energy_full_wh = micro(dir / "energy_full");
  b.charge_now_ah = micro(dir / "charge_now");
  b.charge_full_ah = micro(dir / "charge_full");
  b.volts = micro(dir / "voltage_now");
  b.amps = micro(dir / "current_now");
  b.watts = micro(dir / "power_now");
  if (!b.watts && b.volts && b.amps) b.watts = *b.volts * *b.amps;  // P = V x I, same sign convention as current
  return b;
}

class PowerSupplyReader final : public Reader {
 public:
  explicit PowerSupplyReader(const Roots& roots) : dir_(roots.sysfs / "class" / "power_supply") {}
  std::string name() const override { return "power_supply"; }

  void read(Snapshot& out, double) override {
    PowerSupplySection& s = out.power_supply;
    for (const auto& dir : list_entries(dir_, "")) {
      auto type = read_text(dir / "type").value_or("");
      if (read_text(dir / "scope").value_or("") == "Device") continue;
      if (type == "Battery") {
        if (read_number(dir / "present").value_or(1) == 0) continue;  // an empty battery bay
        s.batteries.push_back(read_battery(dir));
      } else if (!type.empty()) {
        ExternalSupply e{dir.filename().string(), type, std::nullopt};
        if (auto online = read_number(dir / "online")) e.online = *online != 0;
        s.external.push_back(std::move(e));
      }
    }
    if (s.batteries.empty()) {
      std::string others;
      for (const auto& e : s.external) others += (others.empty() ? "" : ", ") + e.name + " (" + e.type + ")";
      s.external.clear();
      s.available = false;
      s.reason = "no battery in " + dir_.string() + (others.empty() ? "" : ": only " + others);
      return;
    }
    s.available = true;
    s.source = "sysfs power_supply";
    for (const auto& b : s.batteries) {  // what a rule on this battery cannot use, and why
      if (!b.capacity_percent) s.unavailable_series[b.name + " capacity_percent"] = "no capacity (0..100) file";
      if (!b.energy_now_wh && !b.charge_now_ah)
        s.unavailable_series[b.name + " energy_now_wh"] = "the driver reports neither energy_now nor charge_now";
      if (!b.watts)
        s.unavailable_series[b.name + " watts"] =
            "the driver reports neither power_now nor voltage_now and current_now";
    }
    bool any_online = false, any_listed = false;
    for (const auto& e : s.external) {
      if (!e.online) continue;
      any_listed = true;
      any_online = any_online || *e.online;
    }
    if (any_listed) {
      s.on_battery = !any_online;
    } else {
      for (const auto& b : s.batteries) {
        if (b.status == "Discharging") s.on_battery = true;
        if (b.status == "Charging" || b.status == "Full") s.on_battery = s.on_battery.value_or(false);
      }
      if (!s.on_battery) s.unavailable_series["on_battery"] = "no mains/USB supply listed and no battery status";
    }
  }

 private:
  fs::path dir_;
};

}  // namespace

std::unique_ptr<Reader> make_power_supply_reader(const Roots& roots) {
  return std::make_unique<PowerSupplyReader>(roots);
}

}  // namespace edgeml::telemetry
