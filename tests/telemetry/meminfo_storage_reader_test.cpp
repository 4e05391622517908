#include <gtest/gtest.h>

#include "common/files.hpp"
#include "fixture_tree.hpp"
#include "telemetry/readers.hpp"

namespace edgeml::telemetry {
namespace {
using testing::FixtureTree;

TEST(TelemetryMeminfoReader, TotalAndAvailableInBytes) {
  FixtureTree tree("jetson_nano_l4t32");
  Snapshot s;
  make_meminfo_reader(tree.roots())->read(s, 0);
  ASSERT_TRUE(s.memory.available) << s.memory.reason;
  EXPECT_DOUBLE_EQ(s.memory.total_bytes, 4059712.0 * 1024);
  EXPECT_DOUBLE_EQ(s.memory.available_bytes, 2871004.0 * 1024);  // MemAvailable, not MemFree
  EXPECT_DOUBLE_EQ(s.memory.used_ratio, 1.0 - 2871004.0 / 4059712.0);
}

TEST(TelemetryMeminfoReader, WithoutMemAvailableItSaysSo) {
  FixtureTree tree("bare_vm");
  tree.write("proc/meminfo", "MemTotal:        2030112 kB\nMemFree:         1203004 kB");
  Snapshot s;
  make_meminfo_reader(tree.roots())->read(s, 0);
  EXPECT_FALSE(s.memory.available);
  EXPECT_NE(s.memory.reason.find("MemAvailable"), std::string::npos) << s.memory.reason;
}

TEST(TelemetryStorageReader, StatvfsOfTheStorageRoot) {
  FixtureTree tree("bare_vm");
  Snapshot s;
  make_storage_reader(tree.roots())->read(s, 0);
  ASSERT_TRUE(s.storage.available) << s.storage.reason;
  EXPECT_GT(s.storage.total_bytes, 0);
  // free_bytes is what common's free_bytes() says (f_bavail); allow for other writers between the two calls.
  EXPECT_NEAR(s.storage.free_bytes, double(free_bytes(tree.roots().storage)), 64.0 * 1024 * 1024);
  EXPECT_LE(s.storage.free_bytes, s.storage.total_bytes);
  EXPECT_GE(s.storage.used_ratio, 0);
  EXPECT_LE(s.storage.used_ratio, 1);
}

TEST(TelemetryStorageReader, MissingFolderIsUnavailableWithTheError) {
  FixtureTree tree("bare_vm");
  Roots roots = tree.roots();
  roots.storage = tree.path("no-such-state-dir");
  Snapshot s;
  make_storage_reader(roots)->read(s, 0);
  EXPECT_FALSE(s.storage.available);
  EXPECT_NE(s.storage.reason.find("no-such-state-dir"), std::string::npos) << s.storage.reason;
}

}  // namespace
}  // namespace edgeml::telemetry
