// The artifact store, the event hub, the energy gate and the Balena query, driven in-process on real files in a
// temporary folder. (The store's tables are tested on both backends in tests/store.)
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "common/error.hpp"
#include "common/files.hpp"
#include "common/sha256.hpp"
#include "controller/artifact_store.hpp"
#include "controller/balena_client.hpp"
#include "controller/energy_gate.hpp"
#include "controller/event_hub.hpp"
#include "onnx/zoo.hpp"
#include "torch_zip.hpp"

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

}  // namespace

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

// Issue 15 defect: the store read only a file's first MiB, so a PyTorch archive over 1 MiB was labelled "unknown";
// and it followed symbolic links, so a link to the database or /etc/passwd was served.
TEST(ArtifactStore, KnowsLargePyTorchArchivesAndServesRegularFilesOnly) {
  Tmp t;
  ArtifactStore store(t.path / "models");
  std::ofstream(t.path / "models" / "big.pt", std::ios::binary)
      << edgeml::testing::torch_zip("\x80\x02}q\x00.", {{"archive/data/0", std::string(2 << 20, 'w')}});
  EXPECT_EQ(store.find("big.pt")->format, "pytorch");
  fs::create_symlink("/etc/passwd", t.path / "models" / "passwd.onnx");
  EXPECT_FALSE(store.find("passwd.onnx")) << "a link is not served";
  for (const auto& a : store.list()) EXPECT_NE(a.file, "passwd.onnx");
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
  auto none = decide(e, std::nullopt, false);
  EXPECT_TRUE(none.allowed);
  EXPECT_EQ(none.outcome, "skipped") << "no budget: nothing was compared";
  auto fits = decide(e, 12.0, false);
  EXPECT_TRUE(fits.allowed);
  EXPECT_EQ(fits.outcome, "passed");
  auto over = decide(e, 10.0, false);
  EXPECT_FALSE(over.allowed);
  EXPECT_EQ(over.outcome, "rejected");
  EXPECT_NE(over.reason.find("12 mWh"), std::string::npos);
  EXPECT_NE(over.reason.find("10 mWh"), std::string::npos);
  auto forced = decide(e, 10.0, true);
  EXPECT_TRUE(forced.allowed);
  EXPECT_EQ(forced.outcome, "forced");
}

// Energy unknown on the device with a budget given: --unknown-energy decides; only refuse stops the deploy, and
// force overrides that (recorded as forced). "passed" never appears: no figure was compared.
TEST(EnergyGate, UnknownEnergyPolicies) {
  EnergyFigure unknown{std::nullopt, "unavailable", "no predictor", std::nullopt};
  using P = UnknownEnergyPolicy;
  auto allow = decide(unknown, 10.0, false, P::allow);
  EXPECT_TRUE(allow.allowed);
  EXPECT_EQ(allow.outcome, "skipped");
  EXPECT_TRUE(allow.warning.empty());
  EXPECT_NE(allow.reason.find("--unknown-energy allow"), std::string::npos) << allow.reason;
  auto warn = decide(unknown, 10.0, false);  // the default
  EXPECT_TRUE(warn.allowed);
  EXPECT_EQ(warn.outcome, "skipped");
  EXPECT_NE(warn.warning.find("10 mWh was not checked (no predictor)"), std::string::npos) << warn.warning;
  auto refuse = decide(unknown, 10.0, false, P::refuse);
  EXPECT_FALSE(refuse.allowed);
  EXPECT_EQ(refuse.outcome, "rejected");
  auto forced = decide(unknown, 10.0, true, P::refuse);
  EXPECT_TRUE(forced.allowed);
  EXPECT_EQ(forced.outcome, "forced");
  EXPECT_EQ(decide(unknown, std::nullopt, false, P::refuse).outcome, "skipped") << "no budget, nothing to refuse";
  EXPECT_EQ(parse_unknown_energy_policy("refuse"), P::refuse);
  EXPECT_THROW(parse_unknown_energy_policy("maybe", "--unknown-energy"), FieldError);
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
