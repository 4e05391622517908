// Jetson power mode from nvpmodel's status file and configuration.
#include <gtest/gtest.h>

#include "fixture_tree.hpp"
#include "telemetry/readers.hpp"

namespace edgeml::telemetry {
namespace {
using testing::FixtureTree;

Snapshot read_once(Reader& r) {
  Snapshot s;
  r.read(s, 0);
  return s;
}

TEST(TelemetryNvpmodelReader, NanoRunsMaxnFromTheStatusFile) {
  FixtureTree tree("jetson_nano_l4t32");
  auto s = read_once(*make_nvpmodel_reader(tree.roots()));
  ASSERT_TRUE(s.power_mode.available) << s.power_mode.reason;
  EXPECT_EQ(s.power_mode.source, "nvpmodel status");
  EXPECT_EQ(s.power_mode.id, 0);
  EXPECT_EQ(s.power_mode.name, "MAXN");
  EXPECT_EQ(s.power_mode.default_id, 0);
}

TEST(TelemetryNvpmodelReader, ModeChangeIsSeenOnTheNextSample) {
  FixtureTree tree("jetson_nano_l4t32");
  auto reader = make_nvpmodel_reader(tree.roots());
  read_once(*reader);
  tree.write("var/lib/nvpmodel/status", "pmode:0001");  // sudo nvpmodel -m 1
  auto s = read_once(*reader);
  EXPECT_EQ(s.power_mode.id, 1);
  EXPECT_EQ(s.power_mode.name, "5W");
}

TEST(TelemetryNvpmodelReader, OrinStatusWithFanModeAndItsOwnModeNames) {
  FixtureTree tree("jetson_orin_jp5");
  auto s = read_once(*make_nvpmodel_reader(tree.roots()));
  EXPECT_EQ(s.power_mode.id, 0);
  EXPECT_EQ(s.power_mode.name, "15W");
  tree.write("var/lib/nvpmodel/status", "pmode:0001 fmode:quiet");
  EXPECT_EQ(read_once(*make_nvpmodel_reader(tree.roots())).power_mode.name, "7W");
}

TEST(TelemetryNvpmodelReader, WithoutAValidStatusTheConfiguredDefaultIsInForce) {
  FixtureTree tree("jetson_nano_l4t32");
  tree.remove("var/lib/nvpmodel/status");
  auto none = read_once(*make_nvpmodel_reader(tree.roots()));
  ASSERT_TRUE(none.power_mode.available);
  EXPECT_EQ(none.power_mode.name, "MAXN");
  EXPECT_NE(none.power_mode.source.find("nvpmodel.conf default (no "), std::string::npos) << none.power_mode.source;
  tree.write("var/lib/nvpmodel/status", "garbage");
  auto invalid = read_once(*make_nvpmodel_reader(tree.roots()));
  EXPECT_EQ(invalid.power_mode.id, 0);
  EXPECT_NE(invalid.power_mode.source.find("(invalid "), std::string::npos) << invalid.power_mode.source;
}

TEST(TelemetryNvpmodelReader, AModeMissingFromTheConfigurationHasNoNameAndSaysWhy) {
  FixtureTree tree("jetson_nano_l4t32");
  tree.write("var/lib/nvpmodel/status", "pmode:0007");
  auto s = read_once(*make_nvpmodel_reader(tree.roots()));
  ASSERT_TRUE(s.power_mode.available);
  EXPECT_EQ(s.power_mode.id, 7);
  EXPECT_TRUE(s.power_mode.name.empty());
  EXPECT_NE(s.power_mode.unavailable_series["name"].find("mode 7 is not a POWER_MODEL"), std::string::npos);
}

TEST(TelemetryNvpmodelReader, ADamagedConfigurationIsReadAsFarAsItMakesSense) {
  FixtureTree tree("jetson_nano_l4t32");
  std::string conf = "< POWER_MODEL ID=0 NAME=MAXN >\n< POWER_MODEL ID=x NAME=BAD >\n< POWER_MODEL NAME=NOID >\n";
  conf += "< PM_CONFIG DEFAULT=0 >\n<" + std::string(2 << 20, 'A') + "\n";  // a 2 MiB line with no end
  tree.write("etc/nvpmodel.conf", conf);
  auto s = read_once(*make_nvpmodel_reader(tree.roots()));
  ASSERT_TRUE(s.power_mode.available);
  EXPECT_EQ(s.power_mode.name, "MAXN");
  EXPECT_EQ(s.power_mode.default_id, 0);
}

TEST(TelemetryNvpmodelReader, NotAJetsonIsUnavailableWithTheReason) {
  for (const char* t : {"rpi5", "bare_vm"}) {
    FixtureTree tree(t);
    auto s = read_once(*make_nvpmodel_reader(tree.roots()));
    EXPECT_FALSE(s.power_mode.available) << t;
    EXPECT_NE(s.power_mode.reason.find("not a Jetson"), std::string::npos) << s.power_mode.reason;
  }
}

}  // namespace
}  // namespace edgeml::telemetry
