// PyTorch files read without Python: a torch.save-style pickle written here opcode by opcode (the subset torch.save
// emits: OrderedDict, _rebuild_tensor_v2 with persistent storage ids), in the zip container and in the legacy
// stream, then cut and corrupted.
#include <gtest/gtest.h>

#include <fstream>
#include <random>

#include "common/error.hpp"
#include "onnx/inspector.hpp"
#include "onnx/model_format.hpp"
#include "onnx/pytorch_state_dict.hpp"
#include "temp_dir.hpp"
#include "torch_zip.hpp"

namespace edgeml::onnx {
namespace {
using edgeml::testing::torch_zip;

// Pickle protocol 2 writer for a flat state dict {name: tensor}.
class PickleWriter {
 public:
  PickleWriter() { out_ = "\x80\x02"; }
  std::string& raw() { return out_; }
  void text(const std::string& s) {
    out_ += 'X';
    u32(static_cast<uint32_t>(s.size()));
    out_ += s;
  }
  void global(const std::string& module, const std::string& name) { out_ += "c" + module + "\n" + name + "\n"; }
  void small_int(int v) { out_ += 'K', out_ += static_cast<char>(v); }
  void int_tuple(const std::vector<int>& v) {
    out_ += '(';
    for (int x : v) small_int(x);
    out_ += 't';
  }
  // torch._utils._rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks)
  void tensor(const std::string& storage, int key, const std::vector<int>& shape) {
    int numel = 1;
    for (int d : shape) numel *= d;
    global("torch._utils", "_rebuild_tensor_v2");
    out_ += '(';
    out_ += '(';
    text("storage");
    global("torch", storage);
    text(std::to_string(key));
    text("cpu");
    small_int(numel);
    out_ += "tQ";  // TUPLE, BINPERSID
    small_int(0);
    int_tuple(shape);
    int_tuple(std::vector<int>(shape.size(), 1));
    out_ += '\x89';  // False
    global("collections", "OrderedDict");
    out_ += ")R";  // OrderedDict()
    out_ += "tR";  // args tuple, call
  }
  void u32(uint32_t v) {
    for (int k = 0; k < 4; ++k) out_ += static_cast<char>((v >> (8 * k)) & 0xff);
  }

 private:
  std::string out_;
};

std::string state_dict_pickle() {
  PickleWriter p;
  p.global("collections", "OrderedDict");
  p.raw() += std::string(")Rq\x00(", 5);  // OrderedDict(), BINPUT 0, MARK
  const std::vector<std::tuple<std::string, std::string, std::vector<int>>> tensors = {
      {"conv.weight", "FloatStorage", {4, 1, 3, 3}},
      {"bn.weight", "FloatStorage", {4}},
      {"bn.bias", "FloatStorage", {4}},
      {"bn.running_mean", "FloatStorage", {4}},
      {"bn.running_var", "FloatStorage", {4}},
      {"bn.num_batches_tracked", "LongStorage", {}},
      {"fc.weight", "HalfStorage", {10, 4}}};
  int key = 0;
  for (const auto& [name, storage, shape] : tensors) {
    p.text(name);
    p.tensor(storage, key++, shape);
  }
  p.raw() += "u.";  // SETITEMS, STOP
  return p.raw();
}

TEST(PyTorchFiles, StateDictTensorsAreReadFromTheZip) {
  const auto tensors = read_torch_tensors(torch_zip(state_dict_pickle()));
  ASSERT_EQ(tensors.size(), 7u);
  EXPECT_EQ(tensors[0].name, "conv.weight");
  EXPECT_EQ(tensors[0].shape, (std::vector<int64_t>{4, 1, 3, 3}));
  EXPECT_EQ(tensors[0].dtype, "float32");
  EXPECT_EQ(tensors[5].dtype, "int64");
  EXPECT_EQ(tensors[6].dtype, "float16");
  EXPECT_FALSE(is_parameter(tensors[3]));  // running_mean is a buffer
}

TEST(PyTorchFiles, InspectorCountsParametersAndRefusesToRun) {
  const std::string file = torch_zip(state_dict_pickle());
  ASSERT_EQ(detect_format(file), ModelFormat::pytorch);
  const InspectResult r = inspect_bytes(file);
  EXPECT_EQ(r.format, "pytorch");
  EXPECT_EQ(r.params, 36 + 4 + 4 + 40);
  EXPECT_EQ(r.weight_types.at("float32"), 44);
  EXPECT_EQ(r.weight_types.at("float16"), 40);
  EXPECT_FALSE(r.graph_stats);
  const auto j = inspect_to_json(r);
  EXPECT_EQ(j["params"], 84);
  EXPECT_TRUE(j["gmacs"].is_null());
  EXPECT_EQ(j["runnable"], false);
  EXPECT_NE(j["refusal"].get<std::string>().find("export it to ONNX"), std::string::npos);
}

TEST(PyTorchFiles, LegacyStreamIsReadToo) {
  // Pre-1.6 torch.save: magic number, protocol version, system info, then the object.
  std::string legacy = "\x80\x02\x8a\x0a\x6c\xfc\x9c\x46\xf9\x20\x6a\xa8\x50\x19.";  // LONG1 magic
  legacy += std::string("\x80\x02M\xe9\x03.", 6);                                    // 1001
  legacy += std::string("\x80\x02}q\x00.", 6);                                       // {}
  legacy += state_dict_pickle();
  legacy += "raw storage bytes follow";
  ASSERT_EQ(detect_format(legacy), ModelFormat::pytorch);
  EXPECT_EQ(inspect_bytes(legacy).params, 84);
}

TEST(PyTorchFiles, CutOrCorruptFilesAreErrorsNotCrashes) {
  const std::string file = torch_zip(state_dict_pickle());
  for (size_t cut = 0; cut < file.size(); ++cut) {
    const std::string part = file.substr(0, cut);
    try {
      inspect_bytes(part);
    } catch (const std::runtime_error& e) {
      EXPECT_FALSE(std::string(e.what()).empty());
    }
  }
  std::mt19937 rng(3);
  for (int i = 0; i < 2000; ++i) {
    std::string bytes = file;
    bytes[rng() % bytes.size()] = static_cast<char>(rng());
    try {
      inspect_bytes(bytes);
    } catch (const std::runtime_error& e) {
      EXPECT_FALSE(std::string(e.what()).empty());
    }
  }
}

TEST(PyTorchFiles, UnknownOpcodeIsNamed) {
  std::string pickle = "\x80\x02\xff.";
  try {
    read_torch_tensors(torch_zip(pickle));
    FAIL() << "read";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("opcode 0xff"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace edgeml::onnx

// The controller's store used to read only the first MiB of a file to detect its format, and a zip's central
// directory is at the end: a PyTorch archive over 1 MiB came out "unknown" (issue 15). One detector now reads the end.
TEST(PyTorchFiles, AnArchiveOverOneMiBIsRecognisedFromItsFile) {
  edgeml::testing::TempDir dir("torch");
  auto file = dir.path / "big.pt";
  std::string zip =
      edgeml::testing::torch_zip(edgeml::onnx::state_dict_pickle(), {{"archive/data/0", std::string(3 << 20, 'w')}});
  ASSERT_GT(zip.size(), 1u << 20);
  std::ofstream(file, std::ios::binary) << zip;
  EXPECT_EQ(edgeml::onnx::detect_file_format(file), edgeml::onnx::ModelFormat::pytorch);
  std::ofstream(dir.path / "plain.zip", std::ios::binary) << std::string("PK\x03\x04", 4) + std::string(2 << 20, 'z');
  EXPECT_EQ(edgeml::onnx::detect_file_format(dir.path / "plain.zip"), edgeml::onnx::ModelFormat::unknown);
}
