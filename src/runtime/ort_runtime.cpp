// ONNX Runtime backend through the C API. One OrtEnv per process; the output buffer is bound once at load and the
// input OrtValue is rebuilt only when the caller hands a different buffer, so a run() costs one OrtApi::Run plus a copy
// of the output.
#include <dlfcn.h>
#include <onnxruntime_c_api.h>

#include <cstring>
#include <memory>

#include "common/error.hpp"
#include "runtime/backends.hpp"
#include "runtime/model_source.hpp"

namespace edgeml::runtime {

namespace {

// The library is opened on first use rather than linked: a process that never runs a model through ORT (an agent
// with no model yet, the controller) does not map its ~25 MB, which keeps the idle agent small. Its one C entry point
// is OrtGetApiBase. The system's copy (by SONAME) is preferred; the build's own copy is the fallback.
const OrtApi* open_ort() {
  void* lib = ::dlopen("libonnxruntime.so.1", RTLD_NOW | RTLD_LOCAL);
#ifdef EDGEML_ORT_LIBRARY
  if (!lib) lib = ::dlopen(EDGEML_ORT_LIBRARY, RTLD_NOW | RTLD_LOCAL);
#endif
  if (!lib) throw RuntimeRefusal(std::string("ONNX Runtime library not found: ") + ::dlerror());
  using GetApiBase = const OrtApiBase* (*)();
  auto get_base = reinterpret_cast<GetApiBase>(::dlsym(lib, "OrtGetApiBase"));
  if (!get_base) throw RuntimeRefusal("the ONNX Runtime library has no OrtGetApiBase");
  const OrtApi* a = get_base()->GetApi(ORT_API_VERSION);
  if (!a)
    throw RuntimeRefusal("the ONNX Runtime library (" + std::string(get_base()->GetVersionString()) +
                         ") is older than its headers (API " + std::to_string(ORT_API_VERSION) + ")");
  return a;
}

const OrtApi& api() {
  static const OrtApi* a = open_ort();  // a throw leaves it unset, so the next use tries again
  return *a;
}

void check(OrtStatus* status, const char* what) {
  if (!status) return;
  std::string msg = std::string("ONNX Runtime: ") + what + ": " + api().GetErrorMessage(status);
  api().ReleaseStatus(status);
  throw std::runtime_error(msg);
}

// Errors reach the caller as exceptions, so ORT's own log only shows errors.
// Created on first use and deliberately never released: ORT's global thread pools and logging must outlive every
// session, including sessions destroyed during static destruction.
OrtEnv* process_env() {
  static OrtEnv* env = [] {
    OrtEnv* e = nullptr;
    check(api().CreateEnv(ORT_LOGGING_LEVEL_ERROR, "edgeml", &e), "CreateEnv");
    return e;
  }();
  return env;
}

struct SessionDeleter {
  void operator()(OrtSession* p) const { api().ReleaseSession(p); }
};
struct OptionsDeleter {
  void operator()(OrtSessionOptions* p) const { api().ReleaseSessionOptions(p); }
};
struct ValueDeleter {
  void operator()(OrtValue* p) const { api().ReleaseValue(p); }
};
struct MemInfoDeleter {
  void operator()(OrtMemoryInfo* p) const { api().ReleaseMemoryInfo(p); }
};
using SessionPtr = std::unique_ptr<OrtSession, SessionDeleter>;
using ValuePtr = std::unique_ptr<OrtValue, ValueDeleter>;

struct IoDescription {
  TensorInfo info;
  ONNXTensorElementDataType type = ONNX_TENSOR_ELEMENT_DATA_TYPE_UNDEFINED;
};

IoDescription describe(OrtSession* session, size_t index, bool is_input) {
  OrtAllocator* alloc = nullptr;
  check(api().GetAllocatorWithDefaultOptions(&alloc), "GetAllocatorWithDefaultOptions");
  char* name = nullptr;
  check(is_input ? api().SessionGetInputName(session, index, alloc, &name)
                 : api().SessionGetOutputName(session, index, alloc, &name),
        "get input/output name");
  IoDescription d;
  d.info.name = name;
  alloc->Free(alloc, name);

  OrtTypeInfo* type_info = nullptr;
  check(is_input ? api().SessionGetInputTypeInfo(session, index, &type_info)
                 : api().SessionGetOutputTypeInfo(session, index, &type_info),
        "get input/output type");
  const OrtTensorTypeAndShapeInfo* tensor = nullptr;
  OrtStatus* st = api().CastTypeInfoToTensorInfo(type_info, &tensor);
  if (!st && tensor) {
    size_t rank = 0;
    check(api().GetTensorElementType(tensor, &d.type), "GetTensorElementType");
    check(api().GetDimensionsCount(tensor, &rank), "GetDimensionsCount");
    d.info.shape.resize(rank);
    check(api().GetDimensions(tensor, d.info.shape.data(), rank), "GetDimensions");
  }
  if (st) api().ReleaseStatus(st);
  api().ReleaseTypeInfo(type_info);
  return d;
}

class OrtRuntime final : public Runtime {
 public:
  std::string backend() const override { return "ort"; }

  void load(const std::filesystem::path& model, const RuntimeOptions& options) override {
    if (options.threads < 1) throw FieldError("threads", "threads must be at least 1");
    ModelSource source = open_model(model);
    reset();
    OrtSessionOptions* raw_opts = nullptr;
    check(api().CreateSessionOptions(&raw_opts), "CreateSessionOptions");
    std::unique_ptr<OrtSessionOptions, OptionsDeleter> opts(raw_opts);
    check(api().SetIntraOpNumThreads(opts.get(), options.threads), "SetIntraOpNumThreads");
    check(api().SetInterOpNumThreads(opts.get(), 1), "SetInterOpNumThreads");
    check(api().SetSessionExecutionMode(opts.get(), ORT_SEQUENTIAL), "SetSessionExecutionMode");
    check(api().SetSessionGraphOptimizationLevel(opts.get(), ORT_ENABLE_ALL), "SetSessionGraphOptimizationLevel");

    OrtSession* raw_session = nullptr;
    // ORT resolves external data (".onnx.data") relative to the model path itself; a translated model is in memory.
    OrtStatus* st = source.translated_onnx.empty()
                        ? api().CreateSession(process_env(), model.c_str(), opts.get(), &raw_session)
                        : api().CreateSessionFromArray(process_env(), source.translated_onnx.data(),
                                                       source.translated_onnx.size(), opts.get(), &raw_session);
    if (st) {
      // An operator or opset this ORT build lacks is a refusal (the model may be fine); anything else is an error.
      const bool unsupported = api().GetErrorCode(st) == ORT_NOT_IMPLEMENTED;
      std::string msg = api().GetErrorMessage(st);
      api().ReleaseStatus(st);
      if (unsupported) throw RuntimeRefusal("ONNX Runtime cannot run this model: " + msg);
      throw std::runtime_error("ONNX Runtime cannot load " + model.string() + ": " + msg);
    }
    session_.reset(raw_session);

    size_t n_inputs = 0, n_outputs = 0;
    check(api().SessionGetInputCount(session_.get(), &n_inputs), "SessionGetInputCount");
    check(api().SessionGetOutputCount(session_.get(), &n_outputs), "SessionGetOutputCount");
    if (n_inputs != 1)
      throw RuntimeRefusal("model has " + std::to_string(n_inputs) + " inputs; this runtime feeds exactly one");
    if (n_outputs < 1) throw RuntimeRefusal("model has no outputs");
    auto in = describe(session_.get(), 0, true);
    auto out = describe(session_.get(), 0, false);
    if (in.type != ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT || out.type != ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT)
      throw RuntimeRefusal("input and first output must be float32 tensors");
    input_ = in.info;
    output_ = out.info;
    spec_ = source.input_spec;
    adjustments_ = source.notes;
    run_shape_ = input_.shape;
    for (auto& d : run_shape_) d = d > 0 ? d : 1;  // a dynamic batch or size runs as 1

    OrtMemoryInfo* mi = nullptr;
    check(api().CreateCpuMemoryInfo(OrtArenaAllocator, OrtMemTypeDefault, &mi), "CreateCpuMemoryInfo");
    mem_info_.reset(mi);

    bool static_output = !output_.shape.empty();
    for (int64_t d : output_.shape) static_output = static_output && d > 0;
    if (static_output) {  // bind once; Run writes straight into out_buffer_
      out_buffer_.assign(output_.element_count(), 0.0f);
      OrtValue* v = nullptr;
      check(api().CreateTensorWithDataAsOrtValue(mem_info_.get(), out_buffer_.data(),
                                                 out_buffer_.size() * sizeof(float), output_.shape.data(),
                                                 output_.shape.size(), ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT, &v),
            "bind output");
      bound_output_.reset(v);
    }
  }

  TensorInfo input() const override { return input_; }
  TensorInfo output() const override { return output_; }
  InputSpec input_spec() const override { return spec_; }
  std::vector<std::string> adjustments() const override { return adjustments_; }

  std::vector<float> run(const std::vector<float>& input) override {
    if (!session_) throw std::logic_error("run() before load()");
    const size_t expected = input_.element_count();
    if (input.size() != expected)
      throw FieldError("input",
                       "expected " + std::to_string(expected) + " float values, got " + std::to_string(input.size()));
    if (input.data() != bound_input_data_) {  // ORT only reads inputs, so the caller's buffer is used in place
      OrtValue* v = nullptr;
      check(api().CreateTensorWithDataAsOrtValue(mem_info_.get(), const_cast<float*>(input.data()),
                                                 input.size() * sizeof(float), run_shape_.data(), run_shape_.size(),
                                                 ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT, &v),
            "bind input");
      bound_input_.reset(v);
      bound_input_data_ = input.data();
    }
    const char* in_names[] = {input_.name.c_str()};
    const char* out_names[] = {output_.name.c_str()};
    const OrtValue* inputs[] = {bound_input_.get()};
    if (bound_output_) {
      OrtValue* outputs[] = {bound_output_.get()};
      check(api().Run(session_.get(), nullptr, in_names, inputs, 1, out_names, 1, outputs), "Run");
      return out_buffer_;
    }
    OrtValue* produced = nullptr;
    check(api().Run(session_.get(), nullptr, in_names, inputs, 1, out_names, 1, &produced), "Run");
    ValuePtr holder(produced);
    OrtTensorTypeAndShapeInfo* shape_info = nullptr;
    check(api().GetTensorTypeAndShape(produced, &shape_info), "GetTensorTypeAndShape");
    size_t count = 0;
    OrtStatus* st = api().GetTensorShapeElementCount(shape_info, &count);
    api().ReleaseTensorTypeAndShapeInfo(shape_info);
    check(st, "GetTensorShapeElementCount");
    float* data = nullptr;
    check(api().GetTensorMutableData(produced, reinterpret_cast<void**>(&data)), "GetTensorMutableData");
    return std::vector<float>(data, data + count);
  }

 private:
  void reset() {
    bound_input_.reset();
    bound_output_.reset();
    bound_input_data_ = nullptr;
    session_.reset();
  }

  SessionPtr session_;
  std::unique_ptr<OrtMemoryInfo, MemInfoDeleter> mem_info_;
  TensorInfo input_, output_;
  InputSpec spec_;
  std::vector<std::string> adjustments_;
  std::vector<int64_t> run_shape_;
  std::vector<float> out_buffer_;
  ValuePtr bound_output_, bound_input_;
  const float* bound_input_data_ = nullptr;
};

}  // namespace

std::unique_ptr<Runtime> make_ort_runtime() { return std::make_unique<OrtRuntime>(); }

bool ort_loadable(std::string* why_not) {
  try {
    api();
    return true;
  } catch (const std::exception& e) {
    if (why_not) *why_not = e.what();
    return false;
  }
}

}  // namespace edgeml::runtime
