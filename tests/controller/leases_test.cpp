// BackgroundLease on a real store (SQLite file; the PostgreSQL statements are covered by store_test) with a manual
// clock: one holder at a time, jobs run on the holder only, a dead holder's work taken over after one lease period,
// and a stopped controller hands it over at once.
#include "controller/leases.hpp"

#include <gtest/gtest.h>

#include "store/store.hpp"
#include "temp_dir.hpp"

using namespace edgeml;
using namespace edgeml::controller;

TEST(BackgroundLease, OneHolderJobsOnItAndTakeoverAfterTheHolderDies) {
  edgeml::testing::TempDir dir("lease");
  store::Store db((dir.path / "c.db").string());
  ManualClock clock(1000);
  BackgroundLease a(db.leases(), clock, {"a", 10}), b(db.leases(), clock, {"b", 10});
  int ran_a = 0, ran_b = 0;
  a.while_held([&] { ++ran_a; });
  b.while_held([&] { ++ran_b; });
  a.renew();
  b.renew();
  EXPECT_TRUE(a.holds());
  EXPECT_FALSE(b.holds());
  EXPECT_EQ(ran_a, 1);
  EXPECT_EQ(ran_b, 0);
  for (int i = 0; i < 5; ++i) {  // a renews every third of the period: b never gets it
    clock.advance(3.3);
    a.renew();
    b.renew();
  }
  EXPECT_TRUE(a.holds());
  EXPECT_EQ(ran_b, 0);
  EXPECT_EQ(db.leases().holder("controller/a", clock.now_s()), "a") << "a's liveness lease";
  // a dies (stops renewing): b takes over once a's lease expired, and not before.
  clock.advance(9);
  b.renew();
  EXPECT_FALSE(b.holds());
  EXPECT_FALSE(a.holds()) << "a's own view lapses before the stored expiry (no two holders)";
  clock.advance(1.5);
  b.renew();
  EXPECT_TRUE(b.holds());
  EXPECT_EQ(ran_b, 1);
  EXPECT_FALSE(db.leases().holder("controller/a", clock.now_s())) << "a's deployments are now orphaned";
}

TEST(BackgroundLease, AStoppedHolderHandsOverAtOnce) {
  edgeml::testing::TempDir dir("lease-stop");
  store::Store db((dir.path / "c.db").string());
  ManualClock clock(1000);
  BackgroundLease b(db.leases(), clock, {"b", 10});
  {
    BackgroundLease a(db.leases(), clock, {"a", 10});
    a.start();  // takes the lease at once
    EXPECT_TRUE(a.holds());
    b.renew();
    EXPECT_FALSE(b.holds());
    a.stop();  // releases
  }
  b.renew();
  EXPECT_TRUE(b.holds()) << "no lease period to wait";
}

TEST(DefaultInstanceId, StableForAFolderAndDifferentForAnother) {
  EXPECT_EQ(default_instance_id("var/a"), default_instance_id("var/a"));
  EXPECT_NE(default_instance_id("var/a"), default_instance_id("var/b"));
}
