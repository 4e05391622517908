// `edgeml inspect` and `edgeml zoo` run as real processes.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <nlohmann/json.hpp>

#include "onnx/zoo.hpp"
#include "test_models.hpp"

namespace edgeml::onnx {
namespace {

namespace fs = std::filesystem;

struct ToolRun {
  int code;
  std::string out;
};

// Runs the edgeml tool with the given arguments (stderr folded into out when merge_stderr).
ToolRun edgeml(const std::string& args, bool merge_stderr = false) {
  std::string cmd = std::string(EDGEML_BIN_DIR) + "/edgeml " + args + (merge_stderr ? " 2>&1" : " 2>/dev/null");
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return {-1, ""};
  std::string out;
  char buf[4096];
  while (size_t n = fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  int status = pclose(p);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

TEST(Cli, ZooBuildThenInspectJson) {
  testing::TempDir dir;
  ToolRun build = edgeml("zoo build mobilenetv3_small_100 squeezenet1_1 --out " + dir.path().string(), true);
  ASSERT_EQ(build.code, 0) << build.out;
  EXPECT_NE(build.out.find("[2/2]"), std::string::npos) << "progress is shown on stderr: " << build.out;
  const fs::path model = dir.path() / "mobilenetv3_small_100.onnx";
  ASSERT_TRUE(fs::exists(model));
  EXPECT_EQ(testing::slurp(model), zoo_build("mobilenetv3_small_100"));

  ToolRun inspect = edgeml("inspect " + model.string() + " --json");
  ASSERT_EQ(inspect.code, 0);
  auto j = nlohmann::json::parse(inspect.out);
  EXPECT_EQ(j["format"], "onnx");
  EXPECT_EQ(j["params"], 2542856);
  EXPECT_NEAR(j["gmacs"].get<double>(), 0.0565, 0.001);
  EXPECT_EQ(j["input_shape"], nlohmann::json::array({1, 3, 224, 224}));
  EXPECT_EQ(j["opset"], 14);
  EXPECT_EQ(j["ops"]["HardSwish"].get<int>() > 0, true);
  EXPECT_EQ(j["metadata"]["weights"].get<std::string>().rfind("placeholder", 0), 0u);

  ToolRun table = edgeml("inspect " + model.string());
  ASSERT_EQ(table.code, 0);
  EXPECT_NE(table.out.find("2542856 (2.543 M)"), std::string::npos) << table.out;
}

TEST(Cli, ZooListAndErrors) {
  ToolRun list = edgeml("zoo --list");
  ASSERT_EQ(list.code, 0);
  for (const auto& n : zoo_names()) EXPECT_NE(list.out.find(n + "\n"), std::string::npos) << n;

  ToolRun unknown = edgeml("zoo build resnet51 --out /tmp", true);
  EXPECT_EQ(unknown.code, 2);
  EXPECT_NE(unknown.out.find("resnet51"), std::string::npos) << unknown.out;
  ToolRun no_out = edgeml("zoo build resnet18", true);
  EXPECT_EQ(no_out.code, 2);
  EXPECT_NE(no_out.out.find("--out"), std::string::npos) << no_out.out;
}

TEST(Cli, InspectBrokenFileFailsWithReason) {
  testing::TempDir dir;
  testing::spit(dir.path() / "cut.onnx", zoo_build("squeezenet1_1").substr(0, 5000));
  ToolRun r = edgeml("inspect " + (dir.path() / "cut.onnx").string(), true);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.out.find("not a valid ONNX model"), std::string::npos) << r.out;
  ToolRun missing = edgeml("inspect " + (dir.path() / "nope.onnx").string(), true);
  EXPECT_NE(missing.code, 0);
  EXPECT_NE(missing.out.find("not found"), std::string::npos) << missing.out;
}

TEST(Cli, InspectTfliteCountsIt) {
  ToolRun r = edgeml("inspect " + std::string(EDGEML_SHARED_DATA) + "/mobilenetv3_small_075.tflite --json");
  ASSERT_EQ(r.code, 0);
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["format"], "tflite");
  EXPECT_EQ(j["params"], 2'037'032);
  EXPECT_EQ(j["input_shape"], nlohmann::json::array({1, 224, 224, 3}));
  EXPECT_EQ(j["input_type"], "float32");
  EXPECT_EQ(j["weight_types"]["float32"].get<int64_t>() + j["weight_types"]["int8"].get<int64_t>(), 2'037'032);
  ToolRun table = edgeml("inspect " + std::string(EDGEML_SHARED_DATA) + "/mobilenetv3_small_075.tflite");
  EXPECT_EQ(table.code, 0);
  EXPECT_NE(table.out.find("HARD_SWISH 19"), std::string::npos) << table.out;
}

TEST(Cli, InspectUnknownFormatExitsNonZero) {
  testing::TempDir dir;
  testing::spit(dir.path() / "notes.txt", "hello, not a model\n");
  ToolRun r = edgeml("inspect " + (dir.path() / "notes.txt").string(), true);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.out.find("unrecognised format"), std::string::npos) << r.out;
  ToolRun j = edgeml("inspect --json " + (dir.path() / "notes.txt").string());
  EXPECT_EQ(j.code, 1);
  EXPECT_EQ(nlohmann::json::parse(j.out)["format"], "unknown");
}

}  // namespace
}  // namespace edgeml::onnx
