// OpenCV DNN 4.6 backend. The model is read with libonnx first and passed through the guard (opencv_guard.hpp), so
// OpenCV only ever sees a graph it is known to run correctly, as an in-memory buffer with every tensor inline.
#include <onnx/onnx_pb.h>
#include <onnx/shape_inference/implementation.h>

#include <fstream>
#include <opencv2/core.hpp>
#include <opencv2/core/utility.hpp>
#include <opencv2/dnn.hpp>
#include <set>

#include "common/error.hpp"
#include "onnx/external_data.hpp"
#include "onnx/guarded_schemas.hpp"
#include "runtime/backends.hpp"
#include "runtime/model_source.hpp"
#include "runtime/opencv_guard.hpp"

namespace edgeml::runtime {

namespace {

::onnx::ModelProto parse_model(const ModelSource& source) {
  ::onnx::ModelProto model;
  if (!source.translated_onnx.empty()) {
    if (!model.ParseFromString(source.translated_onnx)) throw std::runtime_error("the translated model does not parse");
    return model;
  }
  const std::filesystem::path& path = source.path;
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read model file " + path.string());
  if (!model.ParseFromIstream(&in)) throw std::runtime_error(path.string() + " is not a valid ONNX model");
  if (has_external_initializers(model)) {
    if (!model.ParseFromString(edgeml::onnx::inline_external_data(path)))
      throw std::runtime_error(path.string() + ": external data could not be inlined");
  }
  return model;
}

TensorInfo tensor_info(const ::onnx::ValueInfoProto& v) {
  TensorInfo info{v.name(), {}};
  if (v.type().has_tensor_type() && v.type().tensor_type().has_shape())
    for (const auto& d : v.type().tensor_type().shape().dim())
      info.shape.push_back(d.has_dim_value() && d.dim_value() > 0 ? d.dim_value() : -1);
  return info;
}

class OpenCvRuntime final : public Runtime {
 public:
  std::string backend() const override { return "opencv"; }

  void load(const std::filesystem::path& model_path, const RuntimeOptions& options) override {
    if (options.threads < 1) throw FieldError("threads", "threads must be at least 1");
    ModelSource source = open_model(model_path);
    ::onnx::ModelProto model = parse_model(source);
    adjustments_ = source.notes;
    for (auto& line : prepare_for_opencv(model))  // refuses before OpenCV can crash or compute wrongly
      adjustments_.push_back(std::move(line));
    spec_ = source.input_spec;
    describe(model);

    std::string bytes;
    if (!model.SerializeToString(&bytes)) throw std::runtime_error("cannot serialize the prepared model");
    try {
      net_ = cv::dnn::readNetFromONNX(bytes.data(), bytes.size());
    } catch (const cv::Exception& e) {
      throw RuntimeRefusal("OpenCV 4.6 cannot load this model: " + e.err);
    }
    net_.setPreferableBackend(cv::dnn::DNN_BACKEND_OPENCV);
    net_.setPreferableTarget(cv::dnn::DNN_TARGET_CPU);
    threads_ = options.threads;
    run_shape_.clear();
    for (int64_t d : input_.shape) run_shape_.push_back(d > 0 ? static_cast<int>(d) : 1);
    // Some graphs load but cannot run in 4.6 (e.g. a transformer's per-feature constants on a 2-D or 3-D token
    // tensor fail its shape checks at the first forward). One forward on zeros here turns that into a refusal at
    // load, where the caller expects it, instead of an error on every request.
    try {
      std::vector<float> zeros(input_.element_count(), 0.0f);
      net_.setInput(cv::Mat(static_cast<int>(run_shape_.size()), run_shape_.data(), CV_32F, zeros.data()), input_.name);
      net_.forward(output_.name);
    } catch (const cv::Exception& e) {
      net_ = cv::dnn::Net();
      throw RuntimeRefusal("OpenCV 4.6 loads this model but cannot run it: " + e.err);
    }
  }

  TensorInfo input() const override { return input_; }
  TensorInfo output() const override { return output_; }
  InputSpec input_spec() const override { return spec_; }
  std::vector<std::string> adjustments() const override { return adjustments_; }

  std::vector<float> run(const std::vector<float>& input) override {
    if (net_.empty()) throw std::logic_error("run() before load()");
    const size_t expected = input_.element_count();
    if (input.size() != expected)
      throw FieldError("input",
                       "expected " + std::to_string(expected) + " float values, got " + std::to_string(input.size()));
    // The thread count is global to OpenCV; set it per run so two runtimes with different counts each get theirs.
    if (cv::getNumThreads() != threads_) cv::setNumThreads(threads_);
    cv::Mat blob(static_cast<int>(run_shape_.size()), run_shape_.data(), CV_32F, const_cast<float*>(input.data()));
    try {
      net_.setInput(blob, input_.name);
      cv::Mat out = net_.forward(output_.name);
      if (out.type() != CV_32F) throw std::runtime_error("OpenCV produced a non-float32 output");
      if (!out.isContinuous()) out = out.clone();
      const float* p = out.ptr<float>();
      return std::vector<float>(p, p + out.total());
    } catch (const cv::Exception& e) {
      throw std::runtime_error("OpenCV forward failed: " + e.err);
    }
  }

 private:
  // Input and output names and shapes from the graph (shape inference fills output shapes a writer left out).
  void describe(::onnx::ModelProto& model) {
    try {
      // The guarded registry: an old schema's inference function reading past a hostile shape is an error, not a crash.
      ::onnx::shape_inference::InferShapes(model, edgeml::onnx::guarded_schema_registry());
    } catch (const std::exception&) {
      // Shapes stay as declared; OpenCV still runs the model and reports the actual output size.
    }
    const auto& graph = model.graph();
    std::set<std::string> initializers;
    for (const auto& init : graph.initializer()) initializers.insert(init.name());
    std::vector<TensorInfo> inputs;
    for (const auto& in : graph.input())
      if (!initializers.count(in.name())) inputs.push_back(tensor_info(in));
    if (inputs.size() != 1)
      throw RuntimeRefusal("model has " + std::to_string(inputs.size()) + " inputs; this runtime feeds exactly one");
    if (graph.output_size() < 1) throw RuntimeRefusal("model has no outputs");
    auto is_float = [](const ::onnx::ValueInfoProto& v) {
      return !v.type().has_tensor_type() || v.type().tensor_type().elem_type() == ::onnx::TensorProto::FLOAT;
    };
    for (const auto& in : graph.input())
      if (in.name() == inputs[0].name && !is_float(in)) throw RuntimeRefusal("input must be a float32 tensor");
    if (!is_float(graph.output(0))) throw RuntimeRefusal("first output must be a float32 tensor");
    input_ = inputs[0];
    output_ = tensor_info(graph.output(0));
  }

  cv::dnn::Net net_;
  TensorInfo input_, output_;
  InputSpec spec_;
  std::vector<int> run_shape_;
  std::vector<std::string> adjustments_;
  int threads_ = 1;
};

}  // namespace

std::unique_ptr<Runtime> make_opencv_runtime() { return std::make_unique<OpenCvRuntime>(); }

}  // namespace edgeml::runtime
