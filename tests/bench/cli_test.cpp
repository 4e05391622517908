// `edgeml bench` as a user runs it: the real executable on real model files, rows on disk, clear errors.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>

#include "../runtime/onnx_builder.hpp"
#include "common/csv.hpp"
#include "common/files.hpp"

using edgeml::testing::GraphBuilder;
using edgeml::testing::TempDir;

namespace {

// A minimal pre-1.6 torch.save file: magic number, protocol 1001, empty system info, an empty state dict.
const std::string kLegacyTorchSave(
    "\x80\x02\x8a\x0a\x6c\xfc\x9c\x46\xf9\x20\x6a\xa8\x50\x19.\x80\x02M\xe9\x03.\x80\x02}.\x80\x02}.", 29);

struct Outcome {
  int status = -1;
  std::string output;  // stdout and stderr
};

Outcome run_edgeml(const std::vector<std::string>& args, const std::filesystem::path& log) {
  std::vector<std::string> argv = {std::string(EDGEML_BIN_DIR) + "/edgeml"};
  argv.insert(argv.end(), args.begin(), args.end());
  pid_t pid = fork();
  if (pid == 0) {
    int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(fd, 1);
    dup2(fd, 2);
    std::vector<char*> c;
    for (auto& a : argv) c.push_back(a.data());
    c.push_back(nullptr);
    execv(c[0], c.data());
    _exit(127);
  }
  int st = 0;
  waitpid(pid, &st, 0);
  return {WIFEXITED(st) ? WEXITSTATUS(st) : -1, edgeml::read_file(log)};
}

std::filesystem::path relu_model(const std::filesystem::path& path) {
  GraphBuilder g(13);
  g.input("x", {1, 3, 4, 4});
  g.output("y", {1, 3, 4, 4});
  g.node("Relu", {"x"}, {"y"});
  return g.save(path);
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

}  // namespace

TEST(BenchCli, BenchmarksAFolderIntoRowsAndReportsARefusedFile) {
  TempDir dir;
  std::filesystem::create_directories(dir / "models");
  relu_model(dir / "models/relu_a.onnx");
  relu_model(dir / "models/relu_b.onnx");
  const std::string pth = (dir / "legacy.pth").string();  // PyTorch: stored and served, but no runtime here
  std::ofstream(pth, std::ios::binary) << kLegacyTorchSave;
  auto out = run_edgeml({"bench", "--models", (dir / "models").string(), pth, "--device-name", "testbox", "--out",
                         (dir / "rows.csv").string(), "--iterations", "5", "--warmup", "1", "--runs", "2",
                         // a machine with no power source, whatever this one has
                         "--sysfs-root", std::string(EDGEML_FIXTURES_DIR) + "/bare_vm/sys", "--procfs-root",
                         std::string(EDGEML_FIXTURES_DIR) + "/bare_vm/proc"},
                        dir / "log.txt");
  EXPECT_EQ(out.status, 1) << out.output;  // one model could not be run
  EXPECT_TRUE(contains(out.output, "no runtime for pytorch in this build")) << out.output;
  EXPECT_TRUE(contains(out.output, "[1/3] relu_a")) << out.output;  // progress
  EXPECT_TRUE(contains(out.output, "2 of 3 model(s) benchmarked")) << out.output;

  auto table = edgeml::read_csv(dir / "rows.csv");
  ASSERT_EQ(table.rows.size(), 2u);
  auto cell = [&](size_t row, const char* col) { return table.rows[row][*table.column(col)]; };
  EXPECT_EQ(cell(0, "model"), "relu_a");
  EXPECT_EQ(cell(1, "model"), "relu_b");
  EXPECT_EQ(cell(0, "runs"), "2");
  EXPECT_EQ(cell(0, "iterations_per_measurement"), "5");
  EXPECT_EQ(cell(0, "input_size"), "3x4x4");
  EXPECT_EQ(cell(0, "energy_avg_mwh"), "");
  EXPECT_TRUE(contains(cell(0, "notes"), "energy unavailable")) << cell(0, "notes");
  EXPECT_TRUE(contains(cell(0, "notes"), "no power sensor found")) << cell(0, "notes");  // the collector's reason
  EXPECT_GT(std::stod(cell(0, "latency_avg_s")), 0);
}

TEST(BenchCli, BadFlagsNameTheFlag) {
  TempDir dir;
  relu_model(dir / "m.onnx");
  const std::string m = (dir / "m.onnx").string(), out = (dir / "rows.csv").string();
  struct Case {
    std::vector<std::string> args;
    std::string flag;
  };
  const std::vector<Case> cases = {
      {{"--models", m, "--out", out}, "--device-name"},
      {{"--models", m, "--device-name", "x", "--out", out, "--iterations", "abc"}, "--iterations"},
      {{"--models", m, "--device-name", "x", "--out", out, "--threads", "0"}, "--threads"},
      {{"--models", m, "--device-name", "x", "--out", out, "--backend", "tensorrt"}, "--backend"},
      {{"--models", (dir / "nothing").string(), "--device-name", "x", "--out", out}, "nothing"},
      {{"--models", m, "--device-name", "x"}, "--out"},
  };
  for (const auto& c : cases) {
    auto r = run_edgeml(
        [&] {
          std::vector<std::string> a = {"bench"};
          a.insert(a.end(), c.args.begin(), c.args.end());
          return a;
        }(),
        dir / "log.txt");
    EXPECT_EQ(r.status, 2) << c.flag << ": " << r.output;
    EXPECT_TRUE(contains(r.output, c.flag)) << r.output;
  }
  EXPECT_FALSE(std::filesystem::exists(out));
}
