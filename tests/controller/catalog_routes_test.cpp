// The documented catalog endpoints, through HTTP on loopback, against a controller loaded with the real files.
#include <gtest/gtest.h>

#include "controller_fixture.hpp"

using namespace edgeml::testing;

TEST(ControllerCatalog, AllModelsHasEveryRowWithOriginalFieldsAndFlags) {
  auto r = get_json("/api/models/all");
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["count"], 151);
  const auto& m = r.body["models"][0];
  for (const char* f : {"model", "device_type", "params_m", "gflops", "gmacs", "size_mb", "latency_avg_s",
                        "throughput_iter_per_s", "energy_mwh", "energy_per_inference_mj", "avg_power_w", "flags"})
    EXPECT_TRUE(m.contains(f)) << f;
}

TEST(ControllerCatalog, AllModelsFiltersSortsPagesAndSearches) {
  auto r = get_json("/api/models/all?device_type=jetson_nano&sort=energy&limit=5&offset=2");
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["count"], 5);
  EXPECT_EQ(r.body["total"], 124);
  double prev = 0;
  for (auto& m : r.body["models"]) {
    EXPECT_EQ(m["device_type"], "jetson_nano");
    EXPECT_GE(m["energy_mwh"].get<double>(), prev);
    prev = m["energy_mwh"];
  }
  auto s = get_json("/api/models/all?q=MOBILENETV3&device_type=rpi5");
  ASSERT_EQ(s.status, 200);
  ASSERT_GT(s.body["count"].get<int>(), 0);
  for (auto& m : s.body["models"]) EXPECT_NE(m["model"].get<std::string>().find("mobilenetv3"), std::string::npos);
}

TEST(ControllerCatalog, RecommendedMeetsEveryBudgetSortedByEnergyWithoutFlaggedRows) {
  auto r = get_json("/api/models/recommended?device_type=jetson_nano&max_energy=100&max_size=100&max_latency=0.5");
  ASSERT_EQ(r.status, 200) << r.raw;
  ASSERT_GT(r.body["count"].get<int>(), 0);
  EXPECT_LE(r.body["count"].get<int>(), 10);
  double prev = 0;
  for (auto& m : r.body["models"]) {
    EXPECT_LE(m["energy_mwh"].get<double>(), 100);
    EXPECT_LE(m["size_mb"].get<double>(), 100);
    EXPECT_LE(m["latency_avg_s"].get<double>(), 0.5);
    EXPECT_TRUE(m["flags"].empty()) << m.dump();
    EXPECT_GE(m["energy_mwh"].get<double>(), prev);
    prev = m["energy_mwh"];
  }
  EXPECT_GT(r.body["excluded_flagged"].get<int>(), 0);
  // Every Pareto member meets the budgets too, and the cheapest model is on the front.
  ASSERT_FALSE(r.body["pareto"].empty());
  bool cheapest_on_front = false;
  for (auto& p : r.body["pareto"]) cheapest_on_front |= p["model"] == r.body["models"][0]["model"];
  EXPECT_TRUE(cheapest_on_front);

  auto with_flagged = get_json("/api/models/recommended?device_type=jetson_nano&max_energy=100&include_flagged=true");
  ASSERT_EQ(with_flagged.status, 200);
  EXPECT_GT(with_flagged.body["candidates"].get<int>(), r.body["candidates"].get<int>());
}

TEST(ControllerCatalog, OneModelByNameAndUnknownIs404) {
  auto r = get_json("/api/models/mobilenetv2_100?device_type=rpi5");
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["model"]["model"], "mobilenetv2_100");
  EXPECT_EQ(r.body["model"]["device_type"], "rpi5");
  auto missing = get_json("/api/models/no_such_model");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.body["field"], "model");
}

TEST(ControllerCatalog, ReportCountsFlags) {
  auto r = get_json("/api/catalog/report");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.body["devices"]["jetson_nano"]["rows"], 124);
  EXPECT_EQ(r.body["flags"]["power_implausible"]["rows"], 72);
  EXPECT_FALSE(r.body["flags"]["power_implausible"]["examples"].empty());
}

TEST(ControllerOps, HealthAndPrometheusMetrics) {
  auto h = get_json("/healthz");
  ASSERT_EQ(h.status, 200);
  EXPECT_EQ(h.body["status"], "ok");
  get_json("/api/models/all?limit=1");
  auto res = ControllerEnv::get().client().Get("/metrics");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_NE(res->body.find("edgeml_controller_http_requests_total{method=\"GET\",route=\"/api/models/all\""),
            std::string::npos);
  EXPECT_NE(res->body.find("edgeml_catalog_rows{device_type=\"jetson_nano\"} 124"), std::string::npos);
  EXPECT_NE(res->body.find("edgeml_catalog_flagged_rows{device_type=\"jetson_nano\",flag=\"power_implausible\"} 72"),
            std::string::npos);
}
