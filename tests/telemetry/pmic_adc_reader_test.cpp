// Raspberry Pi 5 power from its PMIC, read through `vcgencmd pmic_read_adc` (the fixture's stand-in script prints the
// firmware's format from a text file the tests edit).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <regex>

#include "common/clock.hpp"
#include "telemetry/collector.hpp"
#include "telemetry/readers.hpp"

namespace fs = std::filesystem;
using namespace edgeml::telemetry;

namespace {

struct PiFixture {
  fs::path dir;
  PiFixture() {
    dir = fs::temp_directory_path() / ("edgeml_pmic_" + std::to_string(::getpid()) + "_" + std::to_string(n++));
    fs::remove_all(dir);
    fs::copy(fs::path(EDGEML_FIXTURES_DIR) / "rpi5", dir, fs::copy_options::recursive);
  }
  ~PiFixture() { fs::remove_all(dir); }
  Roots roots() const {
    Roots r;
    r.sysfs = dir / "sys";
    r.procfs = dir / "proc";
    r.storage = dir;
    r.vcgencmd = dir / "bin" / "vcgencmd";
    r.rootfs = dir;  // the Collector test reads nvpmodel files: from the copy, never the host
    return r;
  }
  void write_adc(const std::string& text) const { std::ofstream(dir / "bin" / "pmic_read_adc.txt") << text; }
  void replace_command(const std::string& script) const {
    auto p = dir / "bin" / "vcgencmd";
    std::ofstream(p) << script;
    fs::permissions(p, fs::perms::owner_all);
  }
  static inline int n = 0;
};

Snapshot read_once(const Roots& roots) {
  auto r = make_pmic_adc_reader(roots);
  Snapshot s;
  r->read(s, 0);
  return s;
}

}  // namespace

TEST(TelemetryPmicAdc, SumsVoltTimesAmpOverRailsWithBoth) {
  PiFixture f;
  auto s = read_once(f.roots());
  ASSERT_TRUE(s.power.available) << s.power.reason;
  EXPECT_EQ(s.power.source, "pmic_adc");
  // Expected total from the fixture file itself: every rail with both an _A and a _V line.
  std::ifstream in(f.dir / "bin" / "pmic_read_adc.txt");
  std::map<std::string, std::pair<std::optional<double>, std::optional<double>>> va;  // amps, volts
  std::regex re(R"(^\s*(\S+)_([AV])\s+\S+=([0-9.]+)[AV]\s*$)");
  for (std::string line; std::getline(in, line);) {
    std::smatch m;
    if (std::regex_match(line, m, re)) (m[2] == "A" ? va[m[1]].first : va[m[1]].second) = std::stod(m[3]);
  }
  double expected = 0;
  int both = 0;
  for (auto& [rail, p] : va)
    if (p.first && p.second) expected += *p.first * *p.second, ++both;
  EXPECT_EQ(both, 12);
  ASSERT_TRUE(s.power.total_watts);
  EXPECT_NEAR(*s.power.total_watts, expected, 1e-9);
  EXPECT_NE(s.power.total_method.find("excludes conversion losses"), std::string::npos);
  // VDD_CORE from the public capture: 0.94657990 A x 0.72097620 V.
  bool core = false, ext5v_voltage_only = false;
  for (const auto& r : s.power.rails) {
    if (r.rail == "VDD_CORE") core = r.watts && std::abs(*r.watts - 0.94657990 * 0.72097620) < 1e-12;
    if (r.rail == "EXT5V") ext5v_voltage_only = r.volts && !r.amps && !r.watts;
  }
  EXPECT_TRUE(core);
  EXPECT_TRUE(ext5v_voltage_only);
}

TEST(TelemetryPmicAdc, ReadingsFollowTheCommandAndBothLineForms) {
  PiFixture f;
  f.write_adc(" VDD_CORE_A current(7)=2.00000000A\n VDD_CORE_V volt(15)=0.80000000V\nEXT5V_V volt(24)=5.1V\n");
  auto s = read_once(f.roots());
  ASSERT_TRUE(s.power.available) << s.power.reason;
  EXPECT_NEAR(*s.power.total_watts, 1.6, 1e-12);
}

TEST(TelemetryPmicAdc, AbsentCommandLeavesPowerToOtherReaders) {
  PiFixture f;
  auto roots = f.roots();
  roots.vcgencmd = f.dir / "bin" / "no-such-vcgencmd";
  auto s = read_once(roots);
  EXPECT_FALSE(s.power.available);
  EXPECT_TRUE(s.power.reason.empty());  // absent, not broken
}

TEST(TelemetryPmicAdc, FailingOrSilentOrGarbledCommandIsUnavailableWithTheReason) {
  PiFixture f;
  f.replace_command("#!/bin/sh\nexit 255\n");
  auto failed = read_once(f.roots());
  EXPECT_FALSE(failed.power.available);
  EXPECT_NE(failed.power.reason.find("exit status 255"), std::string::npos) << failed.power.reason;

  f.replace_command("#!/bin/sh\necho 'error=2 error_msg=\"Invalid arguments\"'\n");
  auto garbled = read_once(f.roots());
  EXPECT_FALSE(garbled.power.available);
  EXPECT_NE(garbled.power.reason.find("no rail with both voltage and current"), std::string::npos);

  f.replace_command("#!/bin/sh\nexec sleep 30\n");
  auto t0 = std::chrono::steady_clock::now();
  auto silent = read_once(f.roots());
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(10));  // killed at its time limit
  EXPECT_FALSE(silent.power.available);
  EXPECT_NE(silent.power.reason.find("no answer within"), std::string::npos) << silent.power.reason;
}

TEST(TelemetryPmicAdc, CollectorIntegratesPiPowerIntoEnergy) {
  PiFixture f;
  f.write_adc("VDD_CORE_A current(7)=2.5A\nVDD_CORE_V volt(15)=0.8V\n");  // 2 W
  edgeml::ManualClock clock;
  Collector c(f.roots(), clock);
  auto first = c.sample();
  ASSERT_TRUE(first.power.available) << first.power.reason;
  EXPECT_EQ(first.power.source, "pmic_adc");
  clock.advance(10);
  auto second = c.sample();
  ASSERT_TRUE(second.energy.available);
  EXPECT_NEAR(*second.energy.total_joules, 20.0, 1e-9);  // 2 W for 10 s, trapezoid
}
