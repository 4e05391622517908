// The simulated samples: inside the device's real ranges, reproducible per seed, power following load, and a measured
// model's figures reported (or null without one).
#include "fleetsim/sample_walk.hpp"

#include <gtest/gtest.h>

#include "catalog/catalog.hpp"
#include "common/error.hpp"

namespace edgeml::fleetsim {
namespace {

TEST(FleetSimWalk, StaysInsideTheDevicesRanges) {
  for (const auto& type : device_kinds()) {
    const auto& k = device_kind(type);
    SampleWalk w(k, std::nullopt, 7);
    double t = 1.7e9;
    for (int i = 0; i < 20000; ++i) {
      auto s = w.next(t += 1, 1);
      ASSERT_TRUE(s.power_w && s.temperature_c && s.cpu_usage_ratio && s.memory_used_ratio && s.storage_used_ratio);
      EXPECT_GE(*s.power_w, 0);
      EXPECT_LE(*s.power_w, k.loaded_power_w * 1.05) << type;
      EXPECT_LT(*s.temperature_c, k.max_temp_c) << type;
      EXPECT_GE(*s.temperature_c, k.idle_temp_c - 5) << type;
      EXPECT_GT(*s.cpu_usage_ratio, 0);
      EXPECT_LT(*s.cpu_usage_ratio, 1);
      EXPECT_LE(*s.storage_used_ratio, 0.99);
      // Without a model the inference fields are unavailable, not zero.
      EXPECT_FALSE(s.inference_per_s);
      EXPECT_FALSE(s.energy_per_inference_j);
      EXPECT_FALSE(s.active_model);
      EXPECT_EQ((*s.detail)["simulated"], true);
      // What a controller will parse.
      EXPECT_NO_THROW(wire::sample_from_json(wire::to_json([&] {
        auto x = s;
        x.seq = 1;
        return x;
      }())));
    }
  }
  EXPECT_THROW(device_kind("toaster"), FieldError);
}

TEST(FleetSimWalk, SameSeedSameWalkAndPowerFollowsLoad) {
  const auto& k = device_kind("jetson_nano");
  SampleWalk a(k, std::nullopt, 42), b(k, std::nullopt, 42), c(k, std::nullopt, 43);
  auto sa = a.next(1.7e9, 1), sb = b.next(1.7e9, 1), sc = c.next(1.7e9, 1);
  EXPECT_EQ(sa, sb);
  EXPECT_NE(sa.cpu_usage_ratio, sc.cpu_usage_ratio);
  // Over many devices: a busier device draws more (the correlation a dashboard shows).
  double busy_power = 0, idle_power = 0;
  int busy = 0, idle = 0;
  for (std::uint64_t seed = 1; seed <= 400; ++seed) {
    SampleWalk w(k, std::nullopt, seed);
    auto s = w.next(1.7e9, 1);
    if (*s.cpu_usage_ratio > 0.6) busy_power += *s.power_w, ++busy;
    if (*s.cpu_usage_ratio < 0.3) idle_power += *s.power_w, ++idle;
  }
  ASSERT_GT(busy, 10);
  ASSERT_GT(idle, 10);
  EXPECT_GT(busy_power / busy, idle_power / idle + 2);
}

TEST(FleetSimWalk, ReportsAMeasuredModelFromTheCatalog) {
  catalog::Catalog cat;
  cat.load_file(std::string(EDGEML_SHARED_DATA) + "/124_models_benchmark_jetson.csv", "jetson_nano");
  const catalog::ModelRow* row = nullptr;
  for (const auto& r : cat.rows())
    if (r.clean() && r.latency_avg_s && r.energy_per_inference_mj) {
      row = &r;
      break;
    }
  ASSERT_NE(row, nullptr);
  ModelFigures m{row->model, "jetson_nano", *row->latency_avg_s, *row->energy_per_inference_mj / 1000, "jetson:1"};
  SampleWalk w(device_kind("jetson_nano"), m, 3);
  double sum_latency = 0, sum_energy = 0;
  for (int i = 0; i < 1000; ++i) {
    auto s = w.next(1.7e9 + i, 1);
    ASSERT_EQ(s.active_model, row->model);
    sum_latency += *s.inference_latency_p50_s;
    sum_energy += *s.energy_per_inference_j;
    EXPECT_NEAR(*s.inference_per_s, 1 / *s.inference_latency_p50_s, 1e-9);
  }
  EXPECT_NEAR(sum_latency / 1000, *row->latency_avg_s, 0.01 * *row->latency_avg_s);
  EXPECT_NEAR(sum_energy / 1000, *row->energy_per_inference_mj / 1000, 0.01 * *row->energy_per_inference_mj / 1000);
}

}  // namespace
}  // namespace edgeml::fleetsim
