// Every model in Debian's libonnx-testdata (written by PyTorch exporters and the ONNX backend-test generators, not
// by us) either inspects or is refused with a reason; none may crash the process.
#include <gtest/gtest.h>

#include <filesystem>

#include "onnx/inspector.hpp"

namespace edgeml::onnx {
namespace {

namespace fs = std::filesystem;

TEST(InspectorTestdata, EveryModelInspectsOrGivesAClearError) {
  const fs::path root = ONNX_TESTDATA_DIR;
  ASSERT_TRUE(fs::is_directory(root)) << "libonnx-testdata is not installed (scripts/setup.sh installs it)";
  int inspected = 0, refused = 0, with_macs = 0, with_mac_ops = 0;
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    if (e.path().filename() != "model.onnx") continue;
    try {
      InspectResult r = inspect_file(e.path());
      ASSERT_EQ(r.format, "onnx") << e.path();
      ASSERT_TRUE(r.graph_stats) << e.path();
      ASSERT_GE(r.params, 0) << e.path();
      ASSERT_GE(r.macs, 0) << e.path();
      ASSERT_GE(r.flops, 2 * r.macs) << e.path();
      ASSERT_GE(r.opset, 0) << e.path();  // 0: only non-default domains (e.g. ai.onnx.preview.training)
      ASSERT_FALSE(r.ops.empty()) << e.path();
      bool mac_ops = false;
      for (const char* op :
           {"Conv", "ConvTranspose", "Gemm", "MatMul", "ConvInteger", "MatMulInteger", "QLinearConv", "QLinearMatMul"})
        mac_ops |= r.ops.count(op) > 0;
      with_mac_ops += mac_ops;
      with_macs += r.macs > 0;
      // Every multiply-accumulate graph in the suite has fixed shapes, so each must get a MAC count.
      EXPECT_EQ(r.macs > 0, mac_ops) << e.path();
      ++inspected;
    } catch (const std::runtime_error& err) {
      EXPECT_GT(std::string(err.what()).size(), e.path().string().size() + 10) << "error without a reason";
      ++refused;
    }
  }
  std::printf("libonnx-testdata: %d inspected, %d refused, %d with MACs\n", inspected, refused, with_macs);
  EXPECT_GT(inspected, 1000);   // 1072 files in Debian 12's package; all are valid models
  EXPECT_GE(with_mac_ops, 70);  // the Conv/Gemm/MatMul cases
}

TEST(InspectorTestdata, PytorchConvertedConvsAllHaveMacs) {
  // Every pytorch-converted Conv/Linear case has stored weights and fixed shapes, so each must be costed.
  const fs::path root = fs::path(ONNX_TESTDATA_DIR) / "pytorch-converted";
  int checked = 0;
  for (const auto& e : fs::directory_iterator(root)) {
    const std::string name = e.path().filename();
    if (name.rfind("test_Conv", 0) != 0 && name.rfind("test_Linear", 0) != 0) continue;
    InspectResult r = inspect_file(e.path() / "model.onnx");
    EXPECT_GT(r.macs, 0) << name;
    EXPECT_GT(r.params, 0) << name;
    EXPECT_TRUE(r.notes.empty()) << name << ": " << (r.notes.empty() ? "" : r.notes[0]);
    ++checked;
  }
  EXPECT_GE(checked, 25);
}

}  // namespace
}  // namespace edgeml::onnx
