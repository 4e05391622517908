// Models whose weights live in a .onnx.data side file: the inspector counts them, the inliner restores the exact
// single-file model (what OpenCV needs), and unsafe or broken references are refused with the reason.
#include "onnx/external_data.hpp"

#include <gtest/gtest.h>
#include <onnx/onnx_pb.h>

#include "onnx/inspector.hpp"
#include "onnx/zoo.hpp"
#include "test_models.hpp"

namespace edgeml::onnx {
namespace {

namespace fs = std::filesystem;
using testing::error_of;
using testing::TempDir;

// Rewrites the first external reference's location in a saved model.
void set_location(const fs::path& model, const std::string& location) {
  ::onnx::ModelProto m;
  ASSERT_TRUE(m.ParseFromString(testing::slurp(model)));
  for (auto& t : *m.mutable_graph()->mutable_initializer())
    for (auto& kv : *t.mutable_external_data())
      if (kv.key() == "location") kv.set_value(location);
  testing::spit(model, m.SerializeAsString());
}

TEST(ExternalData, InspectorCountsWeightsInTheSideFile) {
  TempDir dir;
  const std::string inline_bytes = zoo_build("mobilenetv3_small_100");
  const fs::path model = testing::write_with_external_data(inline_bytes, dir.path(), "m.onnx", "m.onnx.data");
  InspectResult r = inspect_file(model), ref = inspect_bytes(inline_bytes);
  EXPECT_EQ(r.params, ref.params);
  EXPECT_DOUBLE_EQ(r.macs, ref.macs);
  EXPECT_EQ(r.external_files, std::vector<std::string>{"m.onnx.data"});
  EXPECT_EQ(r.external_bytes, fs::file_size(dir.path() / "m.onnx.data"));
  EXPECT_LT(fs::file_size(model), 100000u);
  EXPECT_NEAR(r.size_mb, (fs::file_size(model) + r.external_bytes) / 1048576.0, 1e-12);

  // Uploaded bytes without the side file: counts still come from the model, sizes from its length fields.
  InspectResult upload = inspect_bytes(testing::slurp(model));
  EXPECT_EQ(upload.params, ref.params);
  EXPECT_EQ(upload.external_bytes, r.external_bytes);
  EXPECT_FALSE(upload.notes.empty());
}

TEST(ExternalData, InlineRestoresTheSingleFileModelExactly) {
  TempDir dir;
  const std::string inline_bytes = zoo_build("shufflenet_v2_x0_5");
  const fs::path model = testing::write_with_external_data(inline_bytes, dir.path(), "m.onnx", "m.onnx.data");
  EXPECT_TRUE(has_external_data(model));
  EXPECT_EQ(inline_external_data(model), inline_bytes);

  testing::spit(dir.path() / "plain.onnx", inline_bytes);
  EXPECT_FALSE(has_external_data(dir.path() / "plain.onnx"));
  EXPECT_EQ(inline_external_data(dir.path() / "plain.onnx"), inline_bytes);
}

TEST(ExternalData, AbsoluteAndParentLocationsAreRefused) {
  TempDir dir;
  const fs::path model =
      testing::write_with_external_data(zoo_build("squeezenet1_1"), dir.path(), "m.onnx", "m.onnx.data");
  set_location(model, "/etc/passwd");
  EXPECT_NE(error_of([&] { inspect_file(model); }).find("is absolute"), std::string::npos);
  EXPECT_NE(error_of([&] { inline_external_data(model); }).find("is absolute"), std::string::npos);
  set_location(model, "../m.onnx.data");
  EXPECT_NE(error_of([&] { inspect_file(model); }).find("contains '..'"), std::string::npos);
  EXPECT_NE(error_of([&] { inline_external_data(model); }).find("contains '..'"), std::string::npos);
  set_location(model, "sub/../../x");
  EXPECT_NE(error_of([&] { inspect_bytes(testing::slurp(model)); }).find("contains '..'"), std::string::npos);
}

TEST(ExternalData, MissingOrShortSideFileIsRefused) {
  TempDir dir;
  const fs::path model =
      testing::write_with_external_data(zoo_build("squeezenet1_1"), dir.path(), "m.onnx", "m.onnx.data");
  const std::string data = testing::slurp(dir.path() / "m.onnx.data");
  testing::spit(dir.path() / "m.onnx.data", data.substr(0, data.size() / 2));
  EXPECT_NE(error_of([&] { inspect_file(model); }).find("runs past the end"), std::string::npos);
  EXPECT_NE(error_of([&] { inline_external_data(model); }).find("runs past the end"), std::string::npos);
  fs::remove(dir.path() / "m.onnx.data");
  EXPECT_NE(error_of([&] { inspect_file(model); }).find("not found"), std::string::npos);
  EXPECT_NE(error_of([&] { inline_external_data(model); }).find("not found"), std::string::npos);
}

}  // namespace
}  // namespace edgeml::onnx
