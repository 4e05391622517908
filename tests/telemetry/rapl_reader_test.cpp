// x86 powercap RAPL: counter deltas, wraparound at max_energy_range_uj, root-only energy_uj.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fixture_tree.hpp"
#include "telemetry/readers.hpp"

namespace edgeml::telemetry {
namespace {
using testing::FixtureTree;
const std::string kPkg = "sys/class/powercap/intel-rapl:0/";
constexpr double kMaxUj = 262143328850.0;

TEST(TelemetryRaplReader, FirstReadHasNoPowerYet) {
  FixtureTree tree("x86_rapl");
  Snapshot s;
  make_rapl_reader(tree.roots())->read(s, 10.0);
  ASSERT_TRUE(s.power.available) << s.power.reason;
  EXPECT_EQ(s.power.source, "rapl");
  EXPECT_FALSE(s.power.total_watts.has_value());
  EXPECT_DOUBLE_EQ(*s.power.energy_counter_joules, 0.0);
  // Top-level zones only: package-0 and psys; core/uncore are parts of the package.
  ASSERT_EQ(s.power.rails.size(), 2u);
  EXPECT_EQ(s.power.rails[0].rail, "package-0");
  EXPECT_TRUE(s.power.rails[0].is_total);
  EXPECT_EQ(s.power.rails[1].rail, "psys");
  EXPECT_FALSE(s.power.rails[1].is_total);
}

TEST(TelemetryRaplReader, PowerIsCounterDeltaOverTime) {
  FixtureTree tree("x86_rapl");
  auto reader = make_rapl_reader(tree.roots());
  tree.write(kPkg + "energy_uj", 1000000000LL);
  Snapshot a, b;
  reader->read(a, 10.0);
  tree.write(kPkg + "energy_uj", 1000000000LL + 25000000LL);  // +25 J in 2 s
  reader->read(b, 12.0);
  ASSERT_TRUE(b.power.total_watts);
  EXPECT_DOUBLE_EQ(*b.power.total_watts, 12.5);
  EXPECT_DOUBLE_EQ(*b.power.energy_counter_joules, 25.0);
}

TEST(TelemetryRaplReader, CounterWrapsAroundAtMaxEnergyRange) {
  FixtureTree tree("x86_rapl");  // energy_uj starts at 262142000000, 1.32885 J below the range
  auto reader = make_rapl_reader(tree.roots());
  Snapshot a, b;
  reader->read(a, 10.0);
  tree.write(kPkg + "energy_uj", 19000000LL);  // wrapped: 1.32885 J to the top, then 19 J
  reader->read(b, 11.0);
  double expected_j = (kMaxUj - 262142000000.0 + 19000000.0) / 1e6;
  ASSERT_TRUE(b.power.total_watts);
  EXPECT_NEAR(*b.power.total_watts, expected_j, 1e-9);
  EXPECT_NEAR(*b.power.energy_counter_joules, expected_j, 1e-9);
  EXPECT_GT(*b.power.total_watts, 0) << "a wrap must never give negative power";
}

TEST(TelemetryRaplReader, NoPowercapIsAbsent) {
  FixtureTree tree("jetson_nano_l4t32");
  Snapshot s;
  make_rapl_reader(tree.roots())->read(s, 0);
  EXPECT_FALSE(s.power.available);
  EXPECT_TRUE(s.power.reason.empty());
}

// energy_uj is root-only since Linux 5.10. Root reads through file modes, so when the test runs as root a child
// process drops to an unprivileged uid first; the verdict comes back in its exit status.
TEST(TelemetryRaplReader, PermissionDeniedIsUnavailableWithTheReasonNotZero) {
  FixtureTree tree("x86_rapl");
  for (const char* z : {"intel-rapl:0", "intel-rapl:1"})
    ::chmod(tree.path(std::string("sys/class/powercap/") + z + "/energy_uj").c_str(), 0400);
  std::filesystem::permissions(tree.path(""), std::filesystem::perms::all, std::filesystem::perm_options::add);
  auto check = [&]() -> int {
    Snapshot s;
    make_rapl_reader(tree.roots())->read(s, 0);
    if (s.power.available) return 2;
    if (s.power.total_watts) return 3;
    if (s.power.reason.find("energy_uj needs root") == std::string::npos) return 4;
    if (s.power.reason.find("intel-rapl:0") == std::string::npos) return 5;
    return 0;
  };
  if (::geteuid() != 0) {
    EXPECT_EQ(check(), 0);
    return;
  }
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    if (::setgid(65534) != 0 || ::setuid(65534) != 0) ::_exit(10);
    ::_exit(check());
  }
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "2: reported available, 3: gave watts, 4/5: reason missing, 10: setuid failed";
}

}  // namespace
}  // namespace edgeml::telemetry
