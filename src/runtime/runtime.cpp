// Backend selection and the small shared pieces of the Runtime interface.
#include "runtime/runtime.hpp"

#include "runtime/backends.hpp"

namespace edgeml::runtime {

size_t TensorInfo::element_count() const {
  size_t n = 1;
  for (int64_t d : shape) n *= d > 0 ? static_cast<size_t>(d) : 1;
  return n;
}

std::vector<std::string> available_backends() {
#ifdef EDGEML_HAVE_ORT
  if (ort_loadable()) return {"ort", "opencv"};
#endif
  return {"opencv"};
}

std::unique_ptr<Runtime> make_runtime(const std::string& backend) {
  if (backend == "opencv") return make_opencv_runtime();
#ifdef EDGEML_HAVE_ORT
  // auto: ONNX Runtime (4-5x faster here) when its library opens on this machine, else OpenCV DNN.
  if (backend == "auto") return ort_loadable() ? make_ort_runtime() : make_opencv_runtime();
  if (backend == "ort") {
    std::string why;
    if (!ort_loadable(&why)) throw RuntimeRefusal("backend 'ort': " + why);
    return make_ort_runtime();
  }
#else
  if (backend == "auto") return make_opencv_runtime();
  if (backend == "ort") throw RuntimeRefusal("backend 'ort': this build has no ONNX Runtime (run scripts/setup.sh)");
#endif
  throw RuntimeRefusal("unknown backend '" + backend + "' (expected ort, opencv or auto)");
}

}  // namespace edgeml::runtime
