// The controller's SQLite state, the artifact store, the event hub and the energy gate, driven in-process on real
// files in a temporary folder.
#include "controller/fleet_db.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <thread>

#include "common/error.hpp"
#include "common/files.hpp"
#include "common/sha256.hpp"
#include "controller/artifact_store.hpp"
#include "controller/balena_client.hpp"
#include "controller/energy_gate.hpp"
#include "controller/event_hub.hpp"
#include "onnx/zoo.hpp"

namespace fs = std::filesystem;
using namespace edgeml;
using namespace edgeml::controller;

namespace {
struct Tmp {
  Tmp() {
    path = fs::temp_directory_path() / ("edgeml-deploy-" + std::to_string(::getpid()) + "-" + std::to_string(n++));
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~Tmp() { fs::remove_all(path); }
  fs::path path;
  static inline int n = 0;
};

Device device(const std::string& name) {
  Device d;
  d.name = name;
  d.address = "127.0.0.1:9";
  d.device_type = "jetson_nano";
  d.token = "secret";
  d.created_at = 1000;
  return d;
}
}  // namespace

TEST(FleetDb, UsesWalAndKeepsDevices) {
  Tmp t;
  {
    FleetDb db(t.path / "c.db");
    EXPECT_EQ(db.journal_mode(), "wal");
    auto a = db.add_device(device("nano-1"));
    EXPECT_GT(a.id, 0);
    try {
      db.add_device(device("nano-1"));
      FAIL() << "duplicate name accepted";
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::conflict);  // HTTP 409
      EXPECT_EQ(e.field(), "name");
    }
    db.mark_seen(a.id, 1234.5);
  }
  FleetDb db(t.path / "c.db");  // reopened: persisted
  auto list = db.devices();
  ASSERT_EQ(list.size(), 1u);
  EXPECT_TRUE(list[0].online);
  EXPECT_DOUBLE_EQ(*list[0].last_seen, 1234.5);
  EXPECT_EQ(list[0].token, "secret");
  EXPECT_FALSE(to_json(list[0]).dump().find("secret") != std::string::npos) << "the token must never be shown";
  db.mark_unreachable(list[0].id, "connection refused");
  EXPECT_FALSE(db.device(list[0].id)->online);
  EXPECT_EQ(db.device(list[0].id)->last_error, "connection refused");
}

TEST(FleetDb, RunningDeploymentsBecomeInterruptedOnRestart) {
  Tmp t;
  long long running_id = 0, done_id = 0;
  {
    FleetDb db(t.path / "c.db");
    auto d = db.add_device(device("nano-1"));
    DeploymentRecord r;
    r.device_id = d.id;
    r.device_name = d.name;
    r.model_name = "m";
    r.started_at = 10;
    running_id = db.begin(r);
    db.add_step(running_id, {"energy_gate", "passed", "within budget", 10, 0.01});
    r.status = "succeeded";
    r.finished_at = 12;
    done_id = db.begin(r);
  }
  FleetDb db(t.path / "c.db");
  EXPECT_EQ(db.mark_interrupted(99), 1);
  EXPECT_EQ(db.deployment(running_id)->status, "interrupted");
  EXPECT_EQ(db.deployment(done_id)->status, "succeeded");
  auto steps = db.steps(running_id);
  ASSERT_EQ(steps.size(), 1u);
  EXPECT_EQ(steps[0].name, "energy_gate");
  auto recent = db.recent(10);
  ASSERT_EQ(recent.size(), 2u);
  EXPECT_EQ(recent[0].id, done_id) << "newest first";
}

TEST(FleetDb, TelemetryQueriesAndRetention) {
  Tmp t;
  FleetDb db(t.path / "c.db");
  auto d = db.add_device(device("nano-1"));
  const double day = 86400, now = 10 * day;
  std::vector<TelemetrySample> s;
  auto sample = [&](double t, double cpu, double temp, std::optional<double> power, std::optional<double> energy,
                    const char* model) {
    TelemetrySample x;
    x.device_id = d.id, x.t = t, x.cpu_ratio = cpu, x.memory_ratio = 0.5, x.temp_c = temp, x.power_w = power;
    x.energy_per_inference_j = energy, x.active_model = model;
    x.storage_ratio = 0.25, x.inference_rate = cpu * 10, x.inference_p50_s = 0.02;
    return x;
  };
  // Two days ago: 120 samples over two minutes; now: 3 recent samples; 8 days ago: 1 sample.
  for (int i = 0; i < 120; ++i) s.push_back(sample(now - 2 * day + i, i % 2 ? 0.2 : 0.4, 40.0, 5.0, 0.01, "m"));
  for (int i = 0; i < 3; ++i) s.push_back(sample(now - 10 + i, 0.3, 41.0, std::nullopt, std::nullopt, "m"));
  s.push_back(sample(now - 8 * day, 0.9, 50.0, 1.0, std::nullopt, "old"));
  db.add_samples(s);
  EXPECT_TRUE(db.device(d.id)->online);
  EXPECT_EQ(db.samples(d.id, 0, now + 1, 0).size(), 124u);
  auto per_minute = db.samples(d.id, now - 2 * day - 60, now - 2 * day + 200, 60);
  ASSERT_GE(per_minute.size(), 2u);
  EXPECT_NEAR(*per_minute[0].cpu_ratio, 0.3, 1e-9);  // average of 0.2 and 0.4
  EXPECT_NEAR(*per_minute[0].inference_rate, 3.0, 1e-9);
  EXPECT_NEAR(*per_minute[0].storage_ratio, 0.25, 1e-9);
  EXPECT_NEAR(*per_minute[0].inference_p50_s, 0.02, 1e-9);

  db.apply_retention(now, 7 * day, day);
  auto all = db.samples(d.id, 0, now + 1, 0);
  // The 8-day-old sample is gone, the 120 two-day-old ones became per-minute averages, the recent 3 stay raw.
  size_t old_left = 0, recent = 0;
  for (const auto& x : all) {
    if (x.t < now - 7 * day) ++old_left;
    if (x.t > now - 100) ++recent;
  }
  EXPECT_EQ(old_left, 0u);
  EXPECT_EQ(recent, 3u);
  EXPECT_LE(all.size(), 3u + 3u);  // 120 s span -> at most 3 minute buckets
  EXPECT_GE(all.size(), 3u + 2u);
  for (const auto& x : all) EXPECT_TRUE(x.storage_ratio && x.inference_rate) << "downsampling keeps every column";
  auto e = db.latest_with_energy(d.id, "m");
  ASSERT_TRUE(e);
  EXPECT_NEAR(*e->energy_per_inference_j, 0.01, 1e-9);
}

TEST(ArtifactStore, RefusesUnsafeNames) {
  for (std::string bad : std::vector<std::string>{"..", "../etc/passwd", "a/b.onnx", "a\\b.onnx", ".hidden",
                                                  std::string("a\0b", 3), "", "a..b", "name with space"}) {
    EXPECT_THROW(ArtifactStore::validate_file_name(bad), FieldError) << bad;
  }
  EXPECT_NO_THROW(ArtifactStore::validate_file_name("mobilenetv2_100.onnx"));
}

TEST(ArtifactStore, NamesFilesByTheirContentAndHashesThem) {
  Tmp t;
  ArtifactStore store(t.path / "models");
  std::string onnx_bytes = onnx::zoo_build("mobilenetv2_050");
  auto a = store.put_model("mymodel", onnx_bytes);
  EXPECT_EQ(a.file, "mymodel.onnx");
  EXPECT_EQ(a.format, "onnx");
  EXPECT_EQ(a.sha256, sha256_hex(onnx_bytes));
  std::string tflite = read_file(fs::path(EDGEML_SHARED_DATA) / "mobilenetv3_small_075.tflite");
  auto b = store.put_model("lite", tflite);
  EXPECT_EQ(b.file, "lite.tflite");
  auto c = store.put_model("junk", "not a model at all");
  EXPECT_EQ(c.file, "junk.bin");
  EXPECT_EQ(c.format, "unknown");
  // A file named .onnx that holds TFLite bytes is still TFLite.
  write_file_atomic(t.path / "models" / "liar.onnx", tflite);
  EXPECT_EQ(store.find("liar.onnx")->format, "tflite");
  EXPECT_EQ(store.find_model("mymodel")->sha256, a.sha256);
  EXPECT_FALSE(store.find_model("absent"));
  EXPECT_EQ(store.list().size(), 4u);
}

TEST(EventHub, ReadersSeeEveryEventInOrderAndStopWhenClosed) {
  EventHub hub;
  std::thread writer([&] {
    for (int i = 0; i < 5; ++i) hub.publish("t", "step", {{"i", i}});
    hub.close("t");
  });
  std::vector<int> seen;
  long long last = 0;
  bool closed = false;
  while (!closed) {
    for (const auto& e : hub.wait_after("t", last, std::chrono::seconds(5), closed)) {
      seen.push_back(e.data["i"]);
      last = e.seq;
    }
  }
  writer.join();
  EXPECT_EQ(seen, (std::vector<int>{0, 1, 2, 3, 4}));
  EXPECT_NE(to_sse({7, "step", {{"a", 1}}}).find("event: step\nid: 7\ndata: {\"a\":1}\n\n"), std::string::npos);
}

TEST(EnergyGate, BudgetDecisions) {
  EnergyFigure e{12.0, "measured", "row", std::nullopt};
  EXPECT_TRUE(decide(e, std::nullopt, false).allowed);
  EXPECT_TRUE(decide(e, 12.0, false).allowed);
  auto over = decide(e, 10.0, false);
  EXPECT_FALSE(over.allowed);
  EXPECT_NE(over.reason.find("12 mWh"), std::string::npos);
  EXPECT_NE(over.reason.find("10 mWh"), std::string::npos);
  EXPECT_TRUE(decide(e, 10.0, true).allowed);
  EnergyFigure unknown{std::nullopt, "unavailable", "no predictor", std::nullopt};
  EXPECT_FALSE(decide(unknown, 10.0, false).allowed);
  EXPECT_TRUE(decide(unknown, std::nullopt, false).allowed);
}

TEST(Balena, QueryIsEncoded) {
  auto q = balena_devices_query("my'org/edge-fleet", true, 100, 200);
  EXPECT_EQ(q.rfind("/v7/device?$select=id%2Cuuid%2Cdevice_name%2Cis_online%2Cip_address%2Cos_version", 0), 0u) << q;
  EXPECT_NE(q.find("$expand=is_of__device_type%28%24select%3Dslug%29"), std::string::npos) << q;
  EXPECT_NE(q.find("$filter=belongs_to__application%2Fany%28a%3Aa%2Fslug%20eq%20%27my%27%27org%2Fedge-fleet%27%29"
                   "%20and%20is_online%20eq%20true"),
            std::string::npos)
      << q;
  EXPECT_NE(q.find("$top=100&$skip=200"), std::string::npos);
}
