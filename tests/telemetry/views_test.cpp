// to_json, to_prometheus and History over real Collector samples.
// Numbers are written as the shortest text that reads back as the same double (0.933, not 0.93300000000000005).
#include <gtest/gtest.h>

#include <thread>

#include "common/clock.hpp"
#include "fixture_tree.hpp"
#include "telemetry/collector.hpp"
#include "telemetry/history.hpp"
#include "telemetry/json.hpp"
#include "telemetry/prometheus.hpp"

namespace edgeml::telemetry {
namespace {
using testing::FixtureTree;

bool has_line(const std::string& text, const std::string& line) {
  return ("\n" + text).find("\n" + line + "\n") != std::string::npos;
}

TEST(TelemetryJson, UnavailableSectionsCarryAReasonAndNoNumbers) {
  FixtureTree tree("bare_vm");
  ManualClock clock;
  Collector c(tree.roots(), clock);
  auto j = to_json(c.sample());
  EXPECT_EQ(j["power"]["available"], false);
  EXPECT_EQ(j["power"]["reason"], kNoPowerReason);
  EXPECT_FALSE(j["power"].contains("total_watts"));
  EXPECT_FALSE(j["power"].contains("rails"));
  EXPECT_EQ(j["thermal"]["available"], false);
  EXPECT_FALSE(j["thermal"].contains("sensors"));
  EXPECT_EQ(j["energy"]["available"], false);
  EXPECT_EQ(j["cpu"]["available"], true);
  EXPECT_EQ(j["cpu"]["source"], "procfs");
  EXPECT_TRUE(j["cpu"]["usage_ratio"].is_null()) << "first sample: no ratio yet, and not 0";
  EXPECT_EQ(j["memory"]["total_bytes"], 2030112.0 * 1024);
}

TEST(TelemetryJson, NanoPowerRails) {
  FixtureTree tree("jetson_nano_l4t32");
  ManualClock clock;
  Collector c(tree.roots(), clock);
  auto j = to_json(c.sample());
  EXPECT_EQ(j["power"]["source"], "ina3221x");
  EXPECT_DOUBLE_EQ(j["power"]["total_watts"].get<double>(), 0.933);
  EXPECT_EQ(j["power"]["total_method"], "rail POM_5V_IN");
  ASSERT_EQ(j["power"]["rails"].size(), 3u);
  EXPECT_EQ(j["power"]["rails"][0]["rail"], "POM_5V_IN");
  EXPECT_EQ(j["power"]["rails"][0]["is_total"], true);
  EXPECT_DOUBLE_EQ(j["power"]["rails"][0]["volts"].get<double>(), 4.976);
  EXPECT_EQ(j["thermal"]["sensors"].size(), 5u);
  EXPECT_DOUBLE_EQ(j["thermal"]["max_celsius"].get<double>(), 38.5);
}

TEST(TelemetryPrometheus, NodeExporterStyleNamesAndNoFakeZeros) {
  FixtureTree tree("bare_vm");
  ManualClock clock;
  Collector c(tree.roots(), clock);
  c.sample();
  clock.advance(1);
  std::string text = to_prometheus(c.sample());
  EXPECT_TRUE(has_line(text, "edgeml_power_available 0")) << text;
  EXPECT_EQ(text.find("edgeml_power_watts"), std::string::npos);
  EXPECT_EQ(text.find("edgeml_energy_joules_total"), std::string::npos);
  EXPECT_EQ(text.find("edgeml_temperature_celsius"), std::string::npos);
  EXPECT_TRUE(has_line(text, "edgeml_load1 0")) << text;
  EXPECT_TRUE(has_line(text, "edgeml_memory_total_bytes " + std::to_string(2030112LL * 1024))) << text;
  EXPECT_NE(text.find("# TYPE edgeml_memory_available_bytes gauge"), std::string::npos);
  EXPECT_NE(text.find("edgeml_storage_free_bytes "), std::string::npos);
}

TEST(TelemetryPrometheus, RailsTemperaturesAndEnergy) {
  FixtureTree tree("jetson_nano_l4t32");
  ManualClock clock;
  Collector c(tree.roots(), clock);
  c.sample();
  clock.advance(2);
  std::string text = to_prometheus(c.sample());
  EXPECT_TRUE(has_line(text, "edgeml_power_available 1"));
  EXPECT_TRUE(has_line(text, R"(edgeml_power_watts{rail="POM_5V_IN",source="ina3221x",total="true"} 0.933)")) << text;
  EXPECT_TRUE(has_line(text, R"(edgeml_temperature_celsius{sensor="thermal_zone0",type="AO-therm"} 38.5)")) << text;
  EXPECT_NE(text.find("# TYPE edgeml_energy_joules_total counter"), std::string::npos);
  EXPECT_TRUE(has_line(text, "edgeml_energy_joules_total 1.866")) << text;  // 0.933 W x 2 s
}

TEST(TelemetryPrometheus, LabelValuesAreEscaped) {
  Snapshot s;
  s.thermal.available = true;
  s.thermal.readings.push_back({"zone\"1", "a\\b\nc", 40.0});
  std::string text = to_prometheus(s);
  EXPECT_TRUE(has_line(text, R"(edgeml_temperature_celsius{sensor="zone\"1",type="a\\b\nc"} 40)")) << text;
}

TEST(TelemetryJson, OrinJetsonSectionsWithUnitsInTheirNames) {
  FixtureTree tree("jetson_orin_jp5");
  ManualClock clock;
  Collector c(tree.roots(), clock);
  auto j = to_json(c.sample());
  EXPECT_EQ(j["gpu"]["source"], "devfreq:17000000.ga10b");
  EXPECT_DOUBLE_EQ(j["gpu"]["load_ratio"].get<double>(), 0.127);
  EXPECT_DOUBLE_EQ(j["gpu"]["freq_hz"].get<double>(), 306e6);
  EXPECT_DOUBLE_EQ(j["emc"]["freq_hz"].get<double>(), 2.133e9);
  EXPECT_DOUBLE_EQ(j["emc"]["load_ratio"].get<double>(), 0.05);
  EXPECT_EQ(j["fans"]["fans"][0]["fan"], "pwmfan");
  EXPECT_DOUBLE_EQ(j["fans"]["fans"][0]["rpm"].get<double>(), 1925.0);
  EXPECT_EQ(j["power_mode"]["name"], "15W");
  EXPECT_EQ(j["power_mode"]["id"], 0);
  EXPECT_EQ(j["power_mode"]["jetson_clocks_active"], false);
  EXPECT_EQ(j["throttle"]["throttled_now"], false);
  EXPECT_EQ(j["throttle"]["flags"].size(), 3u);
  EXPECT_EQ(j["throttle"]["flags"][0]["events"], 0.0);
  ASSERT_EQ(j["cpu_frequency"]["cores"].size(), 6u);
  EXPECT_DOUBLE_EQ(j["cpu_frequency"]["cores"][5]["hz"].get<double>(), 729.6e6);
  EXPECT_EQ(j["power_supply"]["available"], false);
  EXPECT_FALSE(j["power_supply"]["reason"].get<std::string>().empty());
  // Every rail, with its name and its units.
  ASSERT_EQ(j["power"]["rails"].size(), 3u);
  for (const auto& r : j["power"]["rails"]) {
    EXPECT_FALSE(r["rail"].get<std::string>().empty());
    EXPECT_TRUE(r["watts"].is_number() && r["volts"].is_number() && r["amps"].is_number()) << r.dump();
  }
}

TEST(TelemetryJson, AnUnreadableSeriesOfAnAvailableSectionIsNullWithItsReason) {
  FixtureTree tree("jetson_nano_l4t32");
  tree.remove("sys/kernel/debug/cactmon");
  tree.remove("sys/class/devfreq/57000000.gpu/device/load");
  ManualClock clock;
  Collector c(tree.roots(), clock);
  auto j = to_json(c.sample());
  EXPECT_TRUE(j["emc"]["load_ratio"].is_null());
  EXPECT_TRUE(j["emc"]["unavailable"]["load_ratio"].is_string());
  EXPECT_TRUE(j["gpu"]["load_ratio"].is_null());
  EXPECT_NE(j["gpu"]["unavailable"]["load_ratio"].get<std::string>().find("No such file"), std::string::npos);
  EXPECT_FALSE(j["cpu"].contains("unavailable")) << "sections with every series have no such member";
}

TEST(TelemetryJson, BinaryGarbageInAFileStillGivesValidJson) {
  FixtureTree tree("jetson_orin_jp5");
  tree.write("sys/class/devfreq/17000000.ga10b/device/load", std::string("\xff\xfe\x01load", 7));
  ManualClock clock;
  Collector c(tree.roots(), clock);
  auto j = to_json(c.sample());
  std::string reason = j["gpu"]["unavailable"]["load_ratio"];
  EXPECT_NE(reason.find("holds \"???load\""), std::string::npos) << reason;
  EXPECT_NO_THROW(j.dump());
}

TEST(TelemetryJson, BatteryAndMains) {
  FixtureTree tree("laptop_battery");
  ManualClock clock;
  Collector c(tree.roots(), clock);
  auto j = to_json(c.sample());
  const auto& ps = j["power_supply"];
  EXPECT_EQ(ps["on_battery"], true);
  EXPECT_EQ(ps["batteries"][0]["name"], "BAT0");
  EXPECT_EQ(ps["batteries"][0]["status"], "Discharging");
  EXPECT_DOUBLE_EQ(ps["batteries"][0]["capacity_percent"].get<double>(), 87.0);
  EXPECT_DOUBLE_EQ(ps["batteries"][0]["energy_now_wh"].get<double>(), 43.84);
  EXPECT_TRUE(ps["batteries"][0]["charge_now_ah"].is_null());
  EXPECT_EQ(ps["external"][0]["name"], "AC");
  EXPECT_EQ(ps["external"][0]["online"], false);
}

TEST(TelemetryPrometheus, JetsonGpuEmcFanPowerModeAndThrottle) {
  FixtureTree tree("jetson_orin_jp5");
  ManualClock clock;
  Collector c(tree.roots(), clock);
  std::string text = to_prometheus(c.sample());
  EXPECT_TRUE(has_line(text, R"(edgeml_gpu_load_ratio{gpu="17000000.ga10b"} 0.127)")) << text;
  EXPECT_TRUE(has_line(text, R"(edgeml_gpu_frequency_hertz{gpu="17000000.ga10b"} 306000000)")) << text;
  EXPECT_TRUE(has_line(text, "edgeml_emc_frequency_hertz 2133000000")) << text;
  EXPECT_TRUE(has_line(text, "edgeml_emc_load_ratio 0.05")) << text;
  EXPECT_TRUE(has_line(text, R"(edgeml_fan_rpm{fan="pwmfan"} 1925)")) << text;
  EXPECT_TRUE(has_line(text, R"(node_cpu_scaling_frequency_hertz{cpu="5"} 729600000)")) << text;
  EXPECT_TRUE(has_line(text, R"(edgeml_power_mode_info{id="0",name="15W"} 1)")) << text;
  EXPECT_TRUE(has_line(text, "edgeml_jetson_clocks_active 0")) << text;
  EXPECT_TRUE(has_line(text, "edgeml_throttled 0")) << text;
  EXPECT_TRUE(has_line(text, R"(edgeml_throttle_events_total{flag="over_current",source="soctherm_oc oc3"} 0)"))
      << text;
  EXPECT_NE(text.find("# TYPE edgeml_throttle_events_total counter"), std::string::npos);
  // Every rail with its name: watts, volts and amps.
  for (const char* rail : {"VDD_IN", "VDD_CPU_GPU_CV", "VDD_SOC"}) {
    for (const char* family :
         {"edgeml_power_watts{rail=\"", "edgeml_power_rail_volts{rail=\"", "edgeml_power_rail_amps{rail=\""})
      EXPECT_NE(text.find(std::string(family) + rail + "\""), std::string::npos) << family << rail;
  }
}

TEST(TelemetryPrometheus, PiRailsWithoutPowerStillShowTheirVoltage) {
  FixtureTree tree("rpi5");
  ManualClock clock;
  Collector c(tree.roots(), clock);
  std::string text = to_prometheus(c.sample());
  EXPECT_TRUE(has_line(text, R"(edgeml_power_rail_volts{rail="EXT5V",source="pmic_adc"} 5.11478)")) << text;
  EXPECT_EQ(text.find(R"(edgeml_power_watts{rail="EXT5V")"), std::string::npos) << "no current: no power figure";
  EXPECT_TRUE(has_line(text, R"(edgeml_throttle_occurred{flag="under_voltage",source="vcgencmd get_throttled"} 1)"))
      << text;
  EXPECT_TRUE(has_line(text, R"(edgeml_throttle_active{flag="under_voltage",source="vcgencmd get_throttled"} 0)"));
  EXPECT_EQ(text.find("edgeml_gpu_"), std::string::npos) << "no Jetson GPU: no GPU series, not zeros";
}

TEST(TelemetryPrometheus, PowerSupplyWithNodeExporterNames) {
  FixtureTree tree("laptop_battery");
  ManualClock clock;
  Collector c(tree.roots(), clock);
  std::string text = to_prometheus(c.sample());
  EXPECT_TRUE(has_line(text, R"(node_power_supply_capacity{power_supply="BAT0"} 87)")) << text;
  EXPECT_TRUE(has_line(text, R"(node_power_supply_energy_watthour{power_supply="BAT0"} 43.84)")) << text;
  EXPECT_TRUE(has_line(text, R"(node_power_supply_power_watt{power_supply="BAT0"} 8.717)")) << text;
  EXPECT_TRUE(has_line(text, R"(node_power_supply_online{power_supply="AC"} 0)")) << text;
  EXPECT_TRUE(has_line(text, R"(node_power_supply_info{power_supply="BAT0",status="Discharging",type="Battery"} 1)"))
      << text;
  EXPECT_TRUE(has_line(text, "edgeml_on_battery 1")) << text;
  EXPECT_EQ(text.find("node_power_supply_charge_ampere"), std::string::npos) << "an energy-reporting battery";
}

Snapshot at(double t) {
  Snapshot s;
  s.timestamp_s = t;
  return s;
}

TEST(TelemetryHistory, RingKeepsTheNewestInOrder) {
  History h(3);
  for (int t = 1; t <= 5; ++t) h.push(at(t));
  EXPECT_EQ(h.size(), 3u);
  auto all = h.since(0);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].timestamp_s, 3);
  EXPECT_EQ(all[2].timestamp_s, 5);
  auto after4 = h.since(4);  // strictly after: a poller passing its last timestamp gets no duplicate
  ASSERT_EQ(after4.size(), 1u);
  EXPECT_EQ(after4[0].timestamp_s, 5);
  EXPECT_THROW(History(0), std::invalid_argument);
}

TEST(TelemetryHistory, DefaultHoldsTwoHoursAtOneHertz) {
  History h;
  EXPECT_GE(h.capacity(), 3600u);
  for (int t = 0; t < 3700; ++t) h.push(at(t));
  EXPECT_EQ(h.since(-1).size(), 3700u);
}

TEST(TelemetryHistory, GivesBackExactlyTheSnapshotsPushed) {
  // Entries share their strings and keep only numbers (history.hpp): every field must survive, also across changes
  // of shape (first sample without ratios, a rail appearing, a sensor going offline).
  History h(100);
  std::vector<Snapshot> pushed;
  for (const char* name : {"jetson_nano_l4t32", "x86_rapl", "bare_vm", "jetson_orin_jp5", "rpi5", "laptop_battery"}) {
    FixtureTree tree(name);
    ManualClock clock(1'700'000'000.0 + double(pushed.size()) * 10);
    Collector c(tree.roots(), clock);
    for (int i = 0; i < 3; ++i) {
      tree.write("sys/class/thermal/thermal_zone0/temp", 40000 + i * 1500);
      if (i == 2) tree.write("sys/class/thermal/thermal_zone0/temp", -256000);
      tree.write("proc/uptime", std::to_string(100 + i) + ".5 300.0");
      pushed.push_back(c.sample());
      clock.advance(1.0);
    }
  }
  pushed[1].power.rails.push_back({"extra", 1.5, std::nullopt, 0.25, false});
  for (const auto& s : pushed) h.push(s);
  auto back = h.since(0);
  ASSERT_EQ(back.size(), pushed.size());
  for (size_t i = 0; i < pushed.size(); ++i) EXPECT_TRUE(back[i] == pushed[i]) << "snapshot " << i;
}

TEST(TelemetryHistory, ConcurrentPushAndRead) {
  History h(100);
  std::thread writer([&] {
    for (int t = 0; t < 5000; ++t) h.push(at(t));
  });
  for (int i = 0; i < 200; ++i) {
    auto v = h.since(-1);
    for (size_t k = 1; k < v.size(); ++k) ASSERT_LT(v[k - 1].timestamp_s, v[k].timestamp_s);
  }
  writer.join();
  EXPECT_EQ(h.since(-1).back().timestamp_s, 4999);
}

}  // namespace
}  // namespace edgeml::telemetry
