#include "torch_files.hpp"

#include <cstdint>
#include <tuple>
#include <utility>
#include <vector>

namespace edgeml::onnx::testing {

namespace {

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

}  // namespace

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

}  // namespace edgeml::onnx::testing
