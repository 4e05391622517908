#pragma once
// Factories of the concrete backends, for make_runtime() only. Each backend lives in its own file.
#include <memory>

#include "runtime/runtime.hpp"

namespace edgeml::runtime {

#ifdef EDGEML_HAVE_ORT
std::unique_ptr<Runtime> make_ort_runtime();
// Whether the ONNX Runtime library can be opened on this machine (it is loaded at run time, not linked); when it
// cannot, why_not says why.
bool ort_loadable(std::string* why_not = nullptr);
#endif
std::unique_ptr<Runtime> make_opencv_runtime();

}  // namespace edgeml::runtime
