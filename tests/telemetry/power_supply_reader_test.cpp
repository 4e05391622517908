// Batteries and mains from /sys/class/power_supply.
#include <gtest/gtest.h>

#include "fixture_tree.hpp"
#include "telemetry/readers.hpp"

namespace edgeml::telemetry {
namespace {
using testing::FixtureTree;
const std::string kBat = "sys/class/power_supply/BAT0/";

Snapshot read_once(Reader& r) {
  Snapshot s;
  r.read(s, 0);
  return s;
}

TEST(TelemetryPowerSupplyReader, LaptopOnBatteryInBaseUnits) {
  FixtureTree tree("laptop_battery");
  auto s = read_once(*make_power_supply_reader(tree.roots()));
  ASSERT_TRUE(s.power_supply.available) << s.power_supply.reason;
  EXPECT_EQ(s.power_supply.source, "sysfs power_supply");
  ASSERT_EQ(s.power_supply.batteries.size(), 1u) << "the mouse's battery (scope Device) is not the system's";
  const auto& b = s.power_supply.batteries[0];
  EXPECT_EQ(b.name, "BAT0");
  EXPECT_EQ(b.status, "Discharging");
  EXPECT_DOUBLE_EQ(*b.capacity_percent, 87.0);
  EXPECT_DOUBLE_EQ(*b.energy_now_wh, 43.84);
  EXPECT_DOUBLE_EQ(*b.energy_full_wh, 50.39);
  EXPECT_DOUBLE_EQ(*b.volts, 12.207);
  EXPECT_DOUBLE_EQ(*b.watts, 8.717);
  EXPECT_FALSE(b.charge_now_ah.has_value());
  ASSERT_EQ(s.power_supply.external.size(), 1u);
  EXPECT_EQ(s.power_supply.external[0].name, "AC");
  EXPECT_EQ(s.power_supply.external[0].type, "Mains");
  EXPECT_EQ(s.power_supply.external[0].online, false);
  EXPECT_EQ(s.power_supply.on_battery, true);
  EXPECT_TRUE(s.power_supply.unavailable_series.empty());
}

TEST(TelemetryPowerSupplyReader, ABatteryWithoutSomeFilesSaysWhatIsMissing) {
  FixtureTree tree("laptop_battery");
  for (const char* f : {"capacity", "power_now", "energy_now"}) tree.remove(kBat + f);
  auto s = read_once(*make_power_supply_reader(tree.roots()));
  ASSERT_TRUE(s.power_supply.available);
  EXPECT_EQ(s.power_supply.unavailable_series["BAT0 capacity_percent"], "no capacity (0..100) file");
  EXPECT_NE(s.power_supply.unavailable_series["BAT0 energy_now_wh"].find("neither energy_now nor charge_now"),
            std::string::npos);
  EXPECT_NE(s.power_supply.unavailable_series["BAT0 watts"].find("neither power_now"), std::string::npos);
}

TEST(TelemetryPowerSupplyReader, CapacityFallsThenChargingOnMains) {
  FixtureTree tree("laptop_battery");
  auto reader = make_power_supply_reader(tree.roots());
  read_once(*reader);
  tree.write(kBat + "capacity", 86);
  tree.write(kBat + "energy_now", 43330000);
  auto lower = read_once(*reader);
  EXPECT_DOUBLE_EQ(*lower.power_supply.batteries[0].capacity_percent, 86.0);
  EXPECT_DOUBLE_EQ(*lower.power_supply.batteries[0].energy_now_wh, 43.33);
  tree.write("sys/class/power_supply/AC/online", 1);
  tree.write(kBat + "status", "Charging");
  auto charging = read_once(*reader);
  EXPECT_EQ(charging.power_supply.batteries[0].status, "Charging");
  EXPECT_EQ(charging.power_supply.on_battery, false);
}

TEST(TelemetryPowerSupplyReader, ChargeReportingBatteryWithSignedCurrent) {
  // A fuel gauge that reports charge (uAh) and follows the ABI's sign: negative current while discharging.
  FixtureTree tree("laptop_battery");
  for (const char* f : {"energy_now", "energy_full", "energy_full_design", "power_now"}) tree.remove(kBat + f);
  tree.write(kBat + "charge_now", 3143000);
  tree.write(kBat + "charge_full", 3666000);
  tree.write(kBat + "current_now", -386000);
  tree.remove("sys/class/power_supply/AC");
  auto s = read_once(*make_power_supply_reader(tree.roots()));
  const auto& b = s.power_supply.batteries[0];
  EXPECT_DOUBLE_EQ(*b.charge_now_ah, 3.143);
  EXPECT_DOUBLE_EQ(*b.charge_full_ah, 3.666);
  EXPECT_DOUBLE_EQ(*b.amps, -0.386);
  EXPECT_DOUBLE_EQ(*b.watts, -0.386 * 12.207);  // P = V x I, sign kept
  EXPECT_FALSE(b.energy_now_wh.has_value());
  EXPECT_EQ(s.power_supply.on_battery, true) << "no mains listed: the battery's status decides";
}

TEST(TelemetryPowerSupplyReader, NoBatteryIsUnavailableWithWhatThereIs) {
  FixtureTree vm("bare_vm");
  auto none = read_once(*make_power_supply_reader(vm.roots()));
  EXPECT_FALSE(none.power_supply.available);
  EXPECT_NE(none.power_supply.reason.find("no battery"), std::string::npos) << none.power_supply.reason;

  FixtureTree tree("laptop_battery");
  tree.write(kBat + "present", 0);  // the bay is empty
  auto mains_only = read_once(*make_power_supply_reader(tree.roots()));
  EXPECT_FALSE(mains_only.power_supply.available);
  EXPECT_NE(mains_only.power_supply.reason.find("only AC (Mains)"), std::string::npos)
      << mains_only.power_supply.reason;
  EXPECT_TRUE(mains_only.power_supply.external.empty());
}

}  // namespace
}  // namespace edgeml::telemetry
