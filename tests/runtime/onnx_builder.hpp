#pragma once
// Builds small ONNX graphs in tests with the onnx protobuf API, so each backend fault can be reproduced on a graph
// whose correct output the test computes by hand.
#include <onnx/onnx_pb.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace edgeml::testing {

class GraphBuilder {
 public:
  explicit GraphBuilder(int opset = 13) {
    model_.set_ir_version(8);
    model_.set_producer_name("edgeml-tests");
    auto* op = model_.add_opset_import();
    op->set_domain("");
    op->set_version(opset);
    model_.mutable_graph()->set_name("test");
  }

  void input(const std::string& name, const std::vector<int64_t>& dims) { value_info(graph().add_input(), name, dims); }
  void output(const std::string& name, const std::vector<int64_t>& dims) {
    value_info(graph().add_output(), name, dims);
  }

  ::onnx::TensorProto& initializer(const std::string& name, const std::vector<int64_t>& dims,
                                   const std::vector<float>& v) {
    auto* t = graph().add_initializer();
    fill(*t, name, dims, v);
    return *t;
  }

  // Constant node producing `name`.
  void constant(const std::string& name, const std::vector<int64_t>& dims, const std::vector<float>& v) {
    auto& n = node("Constant", {}, {name});
    auto* a = n.add_attribute();
    a->set_name("value");
    a->set_type(::onnx::AttributeProto::TENSOR);
    fill(*a->mutable_t(), name, dims, v);
  }

  ::onnx::NodeProto& node(const std::string& op, const std::vector<std::string>& inputs,
                          const std::vector<std::string>& outputs) {
    auto* n = graph().add_node();
    n->set_op_type(op);
    n->set_name(op + "_" + std::to_string(graph().node_size()));
    for (auto& i : inputs) n->add_input(i);
    for (auto& o : outputs) n->add_output(o);
    return *n;
  }

  static void attr(::onnx::NodeProto& n, const std::string& name, float v) {
    auto* a = n.add_attribute();
    a->set_name(name);
    a->set_type(::onnx::AttributeProto::FLOAT);
    a->set_f(v);
  }

  ::onnx::ModelProto& model() { return model_; }

  std::filesystem::path save(const std::filesystem::path& path) const {
    std::ofstream out(path, std::ios::binary);
    if (!model_.SerializeToOstream(&out)) throw std::runtime_error("cannot write " + path.string());
    return path;
  }

 private:
  ::onnx::GraphProto& graph() { return *model_.mutable_graph(); }
  static void value_info(::onnx::ValueInfoProto* v, const std::string& name, const std::vector<int64_t>& dims) {
    v->set_name(name);
    auto* tt = v->mutable_type()->mutable_tensor_type();
    tt->set_elem_type(::onnx::TensorProto::FLOAT);
    for (int64_t d : dims) tt->mutable_shape()->add_dim()->set_dim_value(d);
  }
  static void fill(::onnx::TensorProto& t, const std::string& name, const std::vector<int64_t>& dims,
                   const std::vector<float>& v) {
    t.set_name(name);
    t.set_data_type(::onnx::TensorProto::FLOAT);
    for (int64_t d : dims) t.add_dims(d);
    t.set_raw_data(std::string(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(float)));
  }
  ::onnx::ModelProto model_;
};

// A deterministic input in [-scale, scale] (splitmix64), the same for every backend.
inline std::vector<float> seeded_input(size_t n, uint64_t seed = 42, float scale = 1.0f) {
  std::vector<float> v(n);
  uint64_t s = seed;
  for (auto& x : v) {
    uint64_t z = (s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    z ^= z >> 31;
    x = scale * (static_cast<float>(z >> 40) / static_cast<float>(1ull << 24) * 2.0f - 1.0f);
  }
  return v;
}

// A fresh folder under the system temp dir, removed with the object.
class TempDir {
 public:
  TempDir() {
    path_ = std::filesystem::temp_directory_path() /
            ("edgeml-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter()++));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  static int& counter() {
    static int c = 0;
    return c;
  }
  std::filesystem::path path_;
};

}  // namespace edgeml::testing
