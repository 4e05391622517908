// Bad input gets a clear 4xx with {"error","field"} -- never a crash, a hang or a silent default.
#include <gtest/gtest.h>

#include "controller_fixture.hpp"

using namespace edgeml::testing;

TEST(ControllerBadInput, QueryNumbersAreStrict) {
  for (const char* q : {"max_energy=abc", "max_energy=-5", "max_energy=nan", "max_size=inf", "max_latency=1e999",
                        "limit=0", "limit=ten"}) {
    auto r = get_json(std::string("/api/models/recommended?device_type=jetson_nano&") + q);
    EXPECT_EQ(r.status, 400) << q << " " << r.raw;
    EXPECT_TRUE(r.body.contains("error")) << q;
    EXPECT_EQ(r.body["field"], std::string(q).substr(0, std::string(q).find('='))) << q;
  }
}

TEST(ControllerBadInput, UnknownDeviceTypeAndSort) {
  auto r = get_json("/api/models/recommended?device_type=toaster");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.body["field"], "device_type");
  auto bad = get_json("/api/models/recommended?device_type=../../etc");
  EXPECT_EQ(bad.status, 400);
  auto s = get_json("/api/models/all?sort=color");
  EXPECT_EQ(s.status, 400);
  EXPECT_EQ(s.body["field"], "sort");
}

TEST(ControllerBadInput, UnknownEndpointIsJson404) {
  auto r = get_json("/api/nope");
  EXPECT_EQ(r.status, 404);
  EXPECT_TRUE(r.body.contains("error"));
}

TEST(ControllerBadInput, OversizedBodyIs413) {
  std::string big(2 * 1024 * 1024, ' ');
  auto r = post_json("/api/predict-energy", big);
  EXPECT_EQ(r.status, 413);
}

TEST(ControllerBadInput, ServerSurvivesGarbage) {
  for (const char* body : {"{", "[1,2", "\"x\"", "null", "{\"params_m\": }", "\xff\xfe"}) {
    auto r = post_json("/api/predict-energy", body);
    EXPECT_EQ(r.status, 400) << body << " -> " << r.raw;
  }
  EXPECT_EQ(get_json("/healthz").status, 200);
}
