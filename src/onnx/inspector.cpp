#include "onnx/inspector.hpp"

#include <onnx/checker.h>
#include <onnx/onnx_pb.h>
#include <onnx/shape_inference/implementation.h>

#include <fstream>
#include <set>
#include <stdexcept>
#include <unordered_map>

#include "common/error.hpp"
#include "common/utf8.hpp"
#include "onnx/external_refs.hpp"
#include "onnx/format_inspectors.hpp"
#include "onnx/guarded_schemas.hpp"
#include "onnx/model_format.hpp"
#include "onnx/op_cost.hpp"

namespace edgeml::onnx {

namespace fs = std::filesystem;

namespace {

constexpr double kMiB = 1024.0 * 1024.0;

// Inputs that hold configuration rather than learned weights: (op, input index). Initializers used only here are
// not parameters. BatchNormalization's running mean/var are buffers, as in timm's and torchvision's counts.
bool is_non_parameter_input(const std::string& op, int index) {
  static const std::map<std::string, std::set<int>> table = {{"BatchNormalization", {3, 4}},
                                                             {"Clip", {1, 2}},
                                                             {"Reshape", {1}},
                                                             {"Expand", {1}},
                                                             {"Tile", {1}},
                                                             {"Slice", {1, 2, 3, 4}},
                                                             {"Pad", {1, 2, 3}},
                                                             {"Resize", {1, 2, 3}},
                                                             {"Upsample", {1}},
                                                             {"Squeeze", {1}},
                                                             {"Unsqueeze", {1}},
                                                             {"Split", {1}},
                                                             {"ReduceSum", {1}},
                                                             {"TopK", {1}},
                                                             {"ConstantOfShape", {0}},
                                                             {"Range", {0, 1, 2}},
                                                             {"OneHot", {1, 2}},
                                                             {"Gather", {1}},
                                                             {"QuantizeLinear", {1, 2}},
                                                             {"DequantizeLinear", {1, 2}},
                                                             {"QLinearConv", {1, 2, 4, 5, 6, 7}},
                                                             {"QLinearMatMul", {1, 2, 4, 5, 6, 7}},
                                                             {"ConvInteger", {2, 3}},
                                                             {"MatMulInteger", {2, 3}}};
  auto it = table.find(op);
  return it != table.end() && it->second.count(index);
}

std::string onnx_type_name(int32_t t) {
  using T = ::onnx::TensorProto;
  switch (t) {
    case T::FLOAT:
      return "float32";
    case T::FLOAT16:
      return "float16";
    case T::BFLOAT16:
      return "bfloat16";
    case T::DOUBLE:
      return "float64";
    case T::INT8:
      return "int8";
    case T::UINT8:
      return "uint8";
    case T::INT32:
      return "int32";
    case T::INT64:
      return "int64";
    default:
      return "type_" + std::to_string(t);
  }
}

bool is_weight_type(int32_t t) {
  using T = ::onnx::TensorProto;
  return t == T::FLOAT || t == T::FLOAT16 || t == T::BFLOAT16 || t == T::DOUBLE || t == T::INT8 || t == T::UINT8;
}

uint64_t element_count(const ::onnx::TensorProto& t) {
  uint64_t n = 1;
  for (int64_t d : t.dims()) n *= d > 0 ? static_cast<uint64_t>(d) : 0;
  return n;
}

std::optional<Shape> known_shape(const ::onnx::TypeProto& type) {
  if (!type.has_tensor_type() || !type.tensor_type().has_shape()) return std::nullopt;
  Shape s;
  for (const auto& d : type.tensor_type().shape().dim()) {
    if (!d.has_dim_value() || d.dim_value() < 0) return std::nullopt;
    s.push_back(d.dim_value());
  }
  return s;
}

std::string describe_limit(uint64_t size, uint64_t limit) {
  return "model is " + std::to_string(size) + " bytes, over the inspector's limit of " + std::to_string(limit) +
         " bytes (ONNX files over 2 GiB must keep their weights in external data)";
}

// The first graph input that is not also an initializer (older exporters list weights as inputs too).
int real_input(const ::onnx::GraphProto& g) {
  std::set<std::string> inits;
  for (const auto& t : g.initializer()) inits.insert(t.name());
  for (int i = 0; i < g.input_size(); ++i)
    if (!inits.count(g.input(i).name())) return i;
  return -1;
}

// Counts parameters, resolves external data and fills the fields that need only the stored model.
void read_stored_facts(const ::onnx::ModelProto& m, const fs::path& model_dir, InspectResult& r) {
  const auto& g = m.graph();
  r.ir_version = m.ir_version();
  for (const auto& op : m.opset_import())
    if (op.domain().empty() || op.domain() == "ai.onnx") r.opset = op.version();
  r.producer = m.producer_name() + (m.producer_version().empty() ? "" : " " + m.producer_version());
  for (const auto& p : m.metadata_props()) r.metadata.emplace_back(p.key(), p.value());
  r.nodes = g.node_size();
  for (const auto& n : g.node()) {
    bool default_domain = n.domain().empty() || n.domain() == "ai.onnx";
    ++r.ops[default_domain ? n.op_type() : n.domain() + "." + n.op_type()];
  }

  // Weights live in initializers and, for some exporters, in Constant nodes.
  std::unordered_map<std::string, const ::onnx::TensorProto*> stored;
  for (const auto& t : g.initializer()) stored[t.name()] = &t;
  for (const auto& n : g.node())
    if (n.op_type() == "Constant" && n.output_size() == 1)
      for (const auto& a : n.attribute())
        if (a.name() == "value" && a.has_t()) stored[n.output(0)] = &a.t();
  // A single number fed to arithmetic (the 6 of a ReLU6, an epsilon) is a constant, not a weight.
  static const std::set<std::string> arithmetic = {"Add", "Sub", "Mul", "Div", "Pow", "Min", "Max"};
  std::set<std::string> weights;
  for (const auto& n : g.node())
    for (int i = 0; i < n.input_size(); ++i) {
      auto it = stored.find(n.input(i));
      if (it == stored.end() || is_non_parameter_input(n.op_type(), i)) continue;
      if (arithmetic.count(n.op_type()) && element_count(*it->second) <= 1) continue;
      weights.insert(n.input(i));
    }
  for (const auto& name : weights) {
    const auto* t = stored[name];
    if (is_weight_type(t->data_type()) && t->dims_size() > 0) {
      r.params += static_cast<int64_t>(element_count(*t));
      r.weight_types[onnx_type_name(t->data_type())] += static_cast<int64_t>(element_count(*t));
    }
  }

  std::set<std::string> files;
  for (const auto& t : g.initializer()) {
    if (t.data_location() != ::onnx::TensorProto::EXTERNAL) continue;
    ExternalRef ref = external_ref(t);
    files.insert(ref.location);
    if (!model_dir.empty()) {
      r.external_bytes += checked_external_length(t, ref, model_dir);
    } else if (ref.length) {
      r.external_bytes += *ref.length;
    } else if (auto want = expected_data_bytes(t)) {
      r.external_bytes += *want;
    }
  }
  r.external_files.assign(files.begin(), files.end());
  if (!files.empty() && model_dir.empty())
    r.notes.push_back("external data files not provided: their sizes come from the model's length fields");
}

// Runs shape inference (batch dimension fixed to 1 when left open) and returns every fully known tensor shape.
std::unordered_map<std::string, Shape> infer_shapes(::onnx::ModelProto& m, InspectResult& r) {
  auto* g = m.mutable_graph();
  if (int index = real_input(*g); index >= 0) {
    auto& in = *g->mutable_input(index);
    r.input_name = in.name();
    if (in.type().has_tensor_type()) r.input_type = onnx_type_name(in.type().tensor_type().elem_type());
    if (in.type().has_tensor_type() && in.type().tensor_type().has_shape()) {
      auto* shape = in.mutable_type()->mutable_tensor_type()->mutable_shape();
      for (const auto& d : shape->dim()) r.input_shape.push_back(d.has_dim_value() ? d.dim_value() : -1);
      if (shape->dim_size() > 0 && !shape->dim(0).has_dim_value()) {
        shape->mutable_dim(0)->set_dim_value(1);
        r.notes.push_back("input '" + in.name() + "' has an open batch dimension: MACs/FLOPs are for batch 1");
      }
    }
  }
  try {
    ::onnx::ShapeInferenceOptions opts{/*check_type=*/false, /*error_mode=*/0, /*enable_data_propagation=*/true};
    ::onnx::shape_inference::InferShapes(m, guarded_schema_registry(), opts);
  } catch (const std::exception& e) {
    r.notes.push_back(std::string("shape inference stopped early: ") + e.what());
  }
  std::unordered_map<std::string, Shape> shapes;
  auto take = [&](const ::onnx::ValueInfoProto& v) {
    if (auto s = known_shape(v.type())) shapes[v.name()] = *s;
  };
  for (const auto& v : g->input()) take(v);
  for (const auto& v : g->value_info()) take(v);
  for (const auto& v : g->output()) take(v);
  for (const auto& t : g->initializer()) shapes[t.name()] = Shape(t.dims().begin(), t.dims().end());
  for (const auto& n : g->node())
    if (n.op_type() == "Constant" && n.output_size() == 1)
      for (const auto& a : n.attribute())
        if (a.name() == "value" && a.has_t()) shapes[n.output(0)] = Shape(a.t().dims().begin(), a.t().dims().end());
  return shapes;
}

// The 1.12 checker resolves external files against the working directory, not the model's folder. We have already
// validated them (external_ref / checked_external_length), so the checker gets a copy whose external tensors hold
// one placeholder byte: it checks graph structure, and it counts a value field without checking its size.
void run_checker(const ::onnx::ModelProto& m) {
  try {
    bool external = false;
    for (const auto& t : m.graph().initializer()) external |= t.data_location() == ::onnx::TensorProto::EXTERNAL;
    if (!external) {
      ::onnx::checker::check_model(m);
      return;
    }
    ::onnx::ModelProto copy = m;
    for (auto& t : *copy.mutable_graph()->mutable_initializer()) {
      if (t.data_location() != ::onnx::TensorProto::EXTERNAL) continue;
      t.clear_external_data();
      t.set_data_location(::onnx::TensorProto::DEFAULT);
      t.set_raw_data(std::string(1, '\0'));
    }
    ::onnx::checker::check_model(copy);
  } catch (const std::exception& e) {
    throw std::runtime_error(std::string("not a valid ONNX model: ") + e.what());
  }
}

void inspect_onnx(std::string_view bytes, const fs::path& model_dir, InspectResult& r) {
  ::onnx::ModelProto m;
  if (!m.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())))
    throw std::runtime_error("not a valid ONNX model: protobuf parse failed (file truncated or corrupt)");
  if (m.ir_version() <= 0) throw std::runtime_error("not a valid ONNX model: ir_version is missing");
  if (!m.has_graph() || m.graph().output_size() == 0)
    throw std::runtime_error("not a valid ONNX model: no graph outputs (file truncated or corrupt)");
  read_stored_facts(m, model_dir, r);
  auto shapes = infer_shapes(m, r);
  run_checker(m);

  ShapeLookup lookup = [&](const std::string& name) -> std::optional<Shape> {
    auto it = shapes.find(name);
    if (it == shapes.end()) return std::nullopt;
    return it->second;
  };
  std::map<std::string, int> uncounted;  // reason -> nodes
  for (const auto& n : m.graph().node()) {
    OpCost c = op_cost(n, lookup);
    r.macs += c.macs;
    r.flops += c.flops;
    if (!c.uncounted_reason.empty()) ++uncounted[n.op_type() + ": " + c.uncounted_reason];
  }
  for (const auto& [reason, count] : uncounted)
    r.notes.push_back("not counted in MACs/FLOPs: " + std::to_string(count) + " node(s), " + reason);
  r.graph_stats = true;
}

}  // namespace

InspectResult inspect_bytes(std::string_view bytes, const fs::path& model_dir, const InspectOptions& options) {
  if (bytes.empty()) throw std::runtime_error("model is empty (0 bytes)");
  if (bytes.size() > options.max_bytes) throw std::runtime_error(describe_limit(bytes.size(), options.max_bytes));
  if (bytes.size() > static_cast<size_t>(INT32_MAX)) throw std::runtime_error(describe_limit(bytes.size(), INT32_MAX));
  InspectResult r;
  r.file_bytes = bytes.size();
  ModelFormat format = detect_format(bytes);
  r.format = to_string(format);
  if (format == ModelFormat::onnx) {
    inspect_onnx(bytes, model_dir, r);
  } else if (format == ModelFormat::tflite) {
    inspect_tflite(bytes, r);
  } else if (format == ModelFormat::pytorch) {
    inspect_pytorch(bytes, r);
  } else {
    r.unavailable = "unrecognised format: not ONNX, TFLite (TFL3) or a PyTorch archive";
  }
  r.size_mb = static_cast<double>(r.file_bytes + r.external_bytes) / kMiB;
  return r;
}

InspectResult inspect_file(const fs::path& path, const InspectOptions& options) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) throw NotFoundError("model file '" + path.string() + "' not found");
  const uint64_t size = fs::file_size(path, ec);
  if (ec) throw std::runtime_error("cannot stat '" + path.string() + "': " + ec.message());
  if (size == 0) throw std::runtime_error("'" + path.string() + "': model is empty (0 bytes)");
  if (size > options.max_bytes)
    throw std::runtime_error("'" + path.string() + "': " + describe_limit(size, options.max_bytes));
  std::string bytes(size, '\0');
  std::ifstream in(path, std::ios::binary);
  if (!in.read(bytes.data(), static_cast<std::streamsize>(size)))
    throw std::runtime_error("cannot read '" + path.string() + "'");
  try {
    InspectResult r = inspect_bytes(bytes, path.parent_path().empty() ? fs::path(".") : path.parent_path(), options);
    // A file named .onnx that does not even start like one is a broken ONNX file, not an unknown format.
    if (r.format == "unknown" && path.extension() == ".onnx")
      throw std::runtime_error("not a valid ONNX model: it does not start with an ONNX header (ir_version)");
    return r;
  } catch (const NotFoundError&) {
    throw;
  } catch (const std::exception& e) {
    throw std::runtime_error("'" + path.string() + "': " + e.what());
  }
}

namespace {

// Names, producer, metadata and the notes quoting them come from the file: text that is not UTF-8 becomes U+FFFD so
// the answer can be written (nlohmann::json::dump throws on invalid UTF-8).
nlohmann::json with_valid_text(const nlohmann::json& j) {
  if (j.is_string()) return valid_utf8(j.get_ref<const std::string&>());
  if (j.is_array()) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& v : j) out.push_back(with_valid_text(v));
    return out;
  }
  if (j.is_object()) {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [k, v] : j.items()) out[valid_utf8(k)] = with_valid_text(v);
    return out;
  }
  return j;
}

nlohmann::json inspect_to_json_as_read(const InspectResult& r) {
  using nlohmann::json;
  json j = {{"format", r.format}, {"size_mb", r.size_mb}, {"file_bytes", r.file_bytes}};
  const bool runnable = r.format == "onnx" || (r.format == "tflite" && r.refusal.empty());
  j["runnable"] = runnable;
  j["refusal"] = runnable ? json(nullptr) : json(r.refusal.empty() ? r.unavailable : r.refusal);
  if (!r.graph_stats && !r.params_only) {
    for (const char* k : {"params", "gmacs", "gflops", "input_shape", "opset", "ops"}) j[k] = nullptr;
    j["unavailable"] = r.unavailable;
    j["notes"] = r.notes;
    return j;
  }
  j["params"] = r.params;
  j["weight_types"] = r.weight_types;
  j["notes"] = r.notes;
  if (r.params_only) {  // a state dict: no graph, so no cost, input or operators
    for (const char* k : {"gmacs", "gflops", "input_shape", "opset", "ops"}) j[k] = nullptr;
    j["unavailable"] = r.unavailable;
    return j;
  }
  j["gmacs"] = r.macs / 1e9;
  j["gflops"] = r.flops / 1e9;
  j["input_name"] = r.input_name;
  j["input_shape"] = r.input_shape;
  j["input_type"] = r.input_type;
  j["opset"] = r.format == "onnx" ? json(r.opset) : json(nullptr);
  j["ir_version"] = r.format == "onnx" ? json(r.ir_version) : json(nullptr);
  j["producer"] = r.producer;
  j["nodes"] = r.nodes;
  j["ops"] = r.ops;
  j["unsupported_ops"] = r.unsupported_ops;
  json meta = json::object();
  for (const auto& [k, v] : r.metadata) meta[k] = v;
  j["metadata"] = meta;
  j["external_data"] = {{"files", r.external_files}, {"bytes", r.external_bytes}};
  return j;
}

}  // namespace

nlohmann::json inspect_to_json(const InspectResult& r) { return with_valid_text(inspect_to_json_as_read(r)); }

}  // namespace edgeml::onnx
