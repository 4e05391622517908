// The Jetson integrated GPU: found by its devfreq node's device-tree name, load and clocks from devfreq.
#include <gtest/gtest.h>

#include "fixture_tree.hpp"
#include "telemetry/readers.hpp"

namespace edgeml::telemetry {
namespace {
using testing::FixtureTree;
const std::string kNanoGpu = "sys/class/devfreq/57000000.gpu/";
const std::string kOrinGpu = "sys/class/devfreq/17000000.ga10b/";

Snapshot read_once(Reader& r) {
  Snapshot s;
  r.read(s, 0);
  return s;
}

TEST(TelemetryJetsonGpuReader, NanoGpuFoundByItsDeviceTreeName) {
  FixtureTree tree("jetson_nano_l4t32");
  auto s = read_once(*make_jetson_gpu_reader(tree.roots()));
  ASSERT_TRUE(s.gpu.available) << s.gpu.reason;
  EXPECT_EQ(s.gpu.name, "57000000.gpu");
  EXPECT_EQ(s.gpu.source, "devfreq:57000000.gpu");
  EXPECT_DOUBLE_EQ(*s.gpu.load_ratio, 0.0);  // GR3D_FREQ 0%@76 in the tegrastats capture
  EXPECT_DOUBLE_EQ(*s.gpu.freq_hz, 76.8e6);
  EXPECT_DOUBLE_EQ(*s.gpu.min_freq_hz, 76.8e6);
  EXPECT_DOUBLE_EQ(*s.gpu.max_freq_hz, 921.6e6);
  EXPECT_EQ(s.gpu.governor, "nvhost_podgov");
  EXPECT_TRUE(s.gpu.unavailable_series.empty());
}

TEST(TelemetryJetsonGpuReader, OrinSkipsOtherDevfreqEnginesAndReadsPermille) {
  FixtureTree tree("jetson_orin_jp5");
  auto s = read_once(*make_jetson_gpu_reader(tree.roots()));
  ASSERT_TRUE(s.gpu.available) << s.gpu.reason;
  EXPECT_EQ(s.gpu.name, "17000000.ga10b") << "15340000.vic comes first and is not the GPU";
  EXPECT_DOUBLE_EQ(*s.gpu.load_ratio, 0.127);
  EXPECT_DOUBLE_EQ(*s.gpu.max_freq_hz, 624.75e6);
}

TEST(TelemetryJetsonGpuReader, LoadAndClockFollowTheFilesBetweenSamples) {
  FixtureTree tree("jetson_orin_jp5");
  auto reader = make_jetson_gpu_reader(tree.roots());
  auto idle = read_once(*reader);
  tree.write(kOrinGpu + "device/load", 998);
  tree.write(kOrinGpu + "cur_freq", 624750000);
  auto busy = read_once(*reader);
  EXPECT_DOUBLE_EQ(*idle.gpu.load_ratio, 0.127);
  EXPECT_DOUBLE_EQ(*busy.gpu.load_ratio, 0.998);
  EXPECT_DOUBLE_EQ(*busy.gpu.freq_hz, 624.75e6);
}

TEST(TelemetryJetsonGpuReader, UnreadableOrImpossibleLoadIsNullWithItsReason) {
  FixtureTree tree("jetson_nano_l4t32");
  tree.remove(kNanoGpu + "device/load");
  auto missing = read_once(*make_jetson_gpu_reader(tree.roots()));
  ASSERT_TRUE(missing.gpu.available) << "the clock is still readable";
  EXPECT_FALSE(missing.gpu.load_ratio.has_value());
  EXPECT_NE(missing.gpu.unavailable_series["load_ratio"].find("device/load: No such file"), std::string::npos)
      << missing.gpu.unavailable_series["load_ratio"];

  tree.write(kNanoGpu + "device/load", 1500);
  auto impossible = read_once(*make_jetson_gpu_reader(tree.roots()));
  EXPECT_FALSE(impossible.gpu.load_ratio.has_value());
  EXPECT_NE(impossible.gpu.unavailable_series["load_ratio"].find("outside 0..1000"), std::string::npos);

  tree.remove(kNanoGpu + "cur_freq");
  tree.remove(kNanoGpu + "device/load");
  auto nothing = read_once(*make_jetson_gpu_reader(tree.roots()));
  EXPECT_FALSE(nothing.gpu.available);
  EXPECT_NE(nothing.gpu.reason.find("neither load nor frequency"), std::string::npos) << nothing.gpu.reason;
}

TEST(TelemetryJetsonGpuReader, OtherDevicesHaveNoJetsonGpuAndSayWhy) {
  for (const char* t : {"rpi5", "x86_rapl", "bare_vm", "laptop_battery"}) {
    FixtureTree tree(t);
    auto s = read_once(*make_jetson_gpu_reader(tree.roots()));
    EXPECT_FALSE(s.gpu.available) << t;
    EXPECT_NE(s.gpu.reason.find("no Jetson GPU"), std::string::npos) << s.gpu.reason;
    EXPECT_FALSE(s.gpu.load_ratio.has_value());
  }
  FixtureTree renamed("jetson_nano_l4t32");  // a devfreq node that is not a GPU is not taken for one
  renamed.write(kNanoGpu + "device/of_node/name", "vic");
  EXPECT_FALSE(read_once(*make_jetson_gpu_reader(renamed.roots())).gpu.available);
}

}  // namespace
}  // namespace edgeml::telemetry
