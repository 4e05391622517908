#include "test_models.hpp"

#include <onnx/onnx_pb.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <stdexcept>

namespace edgeml::onnx::testing {

namespace fs = std::filesystem;

TempDir::TempDir() {
  static std::atomic<int> n{0};
  path_ = fs::temp_directory_path() / ("edgeml_onnx_test_" + std::to_string(getpid()) + "_" + std::to_string(n++));
  fs::remove_all(path_);
  fs::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void spit(const fs::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

fs::path write_with_external_data(const std::string& model_bytes, const fs::path& dir, const std::string& model_name,
                                  const std::string& data_name) {
  ::onnx::ModelProto m;
  if (!m.ParseFromString(model_bytes)) throw std::runtime_error("test model does not parse");
  std::string data;
  for (auto& t : *m.mutable_graph()->mutable_initializer()) {
    if (t.raw_data().size() <= 1024) continue;
    auto add = [&](const std::string& k, const std::string& v) {
      auto* e = t.add_external_data();
      e->set_key(k);
      e->set_value(v);
    };
    add("location", data_name);
    add("offset", std::to_string(data.size()));
    add("length", std::to_string(t.raw_data().size()));
    data += t.raw_data();
    t.clear_raw_data();
    t.set_data_location(::onnx::TensorProto::EXTERNAL);
  }
  std::string out;
  m.SerializeToString(&out);
  spit(dir / model_name, out);
  spit(dir / data_name, data);
  return dir / model_name;
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "";
}

}  // namespace edgeml::onnx::testing
