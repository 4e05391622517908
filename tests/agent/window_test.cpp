// The post-deploy benchmark window, in-process on the agent's own parts (store, host, loop, telemetry) over a copy of
// the Jetson Nano fixture tree: a bounded window produces a catalog row with provenance that the catalog takes as a
// fleet row; it refuses when the device has critical work or no power source.
#include <gtest/gtest.h>

#include <chrono>

#include "agent/benchmark_service.hpp"
#include "agent/inference_loop.hpp"
#include "agent/model_host.hpp"
#include "agent/model_store.hpp"
#include "agent/telemetry_service.hpp"
#include "agent_test_support.hpp"
#include "catalog/live_catalog.hpp"
#include "catalog/row_import.hpp"
#include "common/error.hpp"
#include "common/sha256.hpp"

using namespace edgeml;
using namespace edgeml::agent;
using edgeml::agent_test::TempDir;
namespace fs = std::filesystem;

namespace {

struct Parts {
  TempDir dir;
  AgentOptions options;
  SystemClock clock;
  std::unique_ptr<ModelStore> store;
  std::unique_ptr<ModelHost> host;
  std::unique_ptr<InferenceLoop> loop;
  std::unique_ptr<TelemetryService> telemetry;
  ModelRef ref;

  explicit Parts(const std::string& fixture, double infer_hz = 20) {
    fs::copy(std::string(EDGEML_FIXTURES_DIR) + "/" + fixture, dir.path / "tree", fs::copy_options::recursive);
    options.state_dir = dir.path / "state";
    options.sysfs_root = dir.path / "tree/sys";
    options.procfs_root = dir.path / "tree/proc";
    options.vcgencmd = dir.path / "no-vcgencmd";
    options.telemetry_hz = 10;
    fs::create_directories(options.state_dir);
    store = std::make_unique<ModelStore>(options.state_dir, StoreLimits{3, 0, 1 << 30});
    host = std::make_unique<ModelHost>("auto", 1);
    loop = std::make_unique<InferenceLoop>(*host, clock, infer_hz);
    telemetry = std::make_unique<TelemetryService>(options, clock, *host, *loop);
    const std::string bytes = agent_test::matmul_onnx(4, 256);
    Expected e{"mm", sha256_hex(bytes), bytes.size()};
    auto f = store->begin(e);
    f->write(bytes.data(), bytes.size());
    ref = store->commit(std::move(f), e);
    host->swap_in(host->prepare(ref, store->path_of(ref)), clock.now_s());
    loop->start();
    telemetry->start();
  }
  ~Parts() {
    loop->stop();
    telemetry->stop();
  }
  nlohmann::json window(const WindowRequest& r, const CriticalWork& critical = {}) {
    return run_post_deploy_window(r, *host, *store, *loop, *telemetry, nlohmann::json{{"hostname", "nano-7"}}, options,
                                  clock, "test_board", critical);
  }
};

}  // namespace

TEST(PostDeployWindow, BoundedWindowGivesACatalogRowWithProvenanceThatTheCatalogTakes) {
  Parts p("jetson_nano_l4t32");
  WindowRequest r;
  r.max_seconds = 1.0;
  r.max_inferences = 100000;  // the time bound decides: runs of ~0.3 s, long beside the sensor reads around them
  const auto t0 = std::chrono::steady_clock::now();
  auto w = p.window(r);
  const double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  ASSERT_TRUE(w["ran"].get<bool>()) << w.dump(2);
  EXPECT_LT(took, 3.0);  // bounded: 1 s of runs plus warm-up and probe
  const auto& body = w["catalog_rows"];
  const auto& row = body["rows"][0];
  EXPECT_EQ(row["model"], "mm");
  const int n = w["window"]["inferences_per_run"].get<int>();
  EXPECT_GE(n, 1);
  EXPECT_LE(n, 100000);
  EXPECT_EQ(row["iterations_per_measurement"].get<int>(), n);
  // Constant 0.933 W on the fixture: the row's implied power is that power.
  const double run_s = row["latency_avg_s"].get<double>() * n;
  EXPECT_NEAR(row["energy_avg_mwh"].get<double>() * 3.6 / run_s, 0.933, 0.933 * 0.10) << w.dump(2);
  EXPECT_EQ(body["provenance"]["model_sha256"], p.ref.sha256);
  EXPECT_EQ(body["provenance"]["device"], "nano-7");
  EXPECT_NE(body["provenance"]["sensor"].get<std::string>().find("ina3221x"), std::string::npos);
  EXPECT_FALSE(body["provenance"]["agent_version"].get<std::string>().empty());

  // The controller's side: the body goes through rows_from_json as fleet rows into a live catalog.
  catalog::Provenance fleet;
  fleet.origin = catalog::kOriginFleet;
  auto batch = catalog::rows_from_json(body, fleet);
  ASSERT_EQ(batch.rows.size(), 1u);
  catalog::LiveCatalog live{catalog::Catalog{}};
  auto added = live.add(std::move(batch.rows));
  EXPECT_EQ(added.added, 1u);
  // Validated like a file row. At constant power run energy follows run time, which on a shared machine may vary
  // by more than the 10% the catalog tolerates between runs: that (and only that) may flag it.
  for (const auto& flag : added.rows[0]["flags"]) EXPECT_EQ(flag, "unstable_energy") << added.rows.dump(2);
  EXPECT_NEAR(added.rows[0]["avg_power_w"].get<double>(), 0.933, 0.933 * 0.10);
  const auto* stored = live.snapshot()->find("mm", "test_board");
  ASSERT_NE(stored, nullptr);
  EXPECT_EQ(stored->provenance.origin, "fleet");
  EXPECT_EQ(stored->provenance.model_sha256, p.ref.sha256);
  EXPECT_EQ(stored->provenance.device, "nano-7");
}

TEST(PostDeployWindow, NeverWhileTheDeviceHasCriticalWorkNorWithoutAPowerSource) {
  Parts p("jetson_nano_l4t32");
  auto w = p.window({}, [] { return std::optional<std::string>("camera pipeline"); });
  EXPECT_FALSE(w["ran"].get<bool>());
  EXPECT_NE(w["reason"].get<std::string>().find("camera pipeline"), std::string::npos);

  Parts bare("bare_vm");
  auto b = bare.window({});
  EXPECT_FALSE(b["ran"].get<bool>());
  EXPECT_NE(b["reason"].get<std::string>().find("no power source"), std::string::npos) << b.dump();

  WindowRequest bad;
  bad.max_seconds = 0;
  EXPECT_THROW(p.window(bad), FieldError);
}

TEST(PostDeployWindow, ThePausedLoopRunsNoInference) {
  Parts p("jetson_nano_l4t32", 200);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  {
    InferenceLoop::Pause pause(*p.loop);
    const auto before = p.loop->busy().inferences;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    EXPECT_EQ(p.loop->busy().inferences, before);
    EXPECT_FALSE(p.loop->busy().busy_now);
  }
  const auto resumed = p.loop->busy().inferences;
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_GT(p.loop->busy().inferences, resumed);
}
