#pragma once
// Factories of the concrete backends, for make_runtime() only. Each backend lives in its own file.
#include <memory>

#include "runtime/runtime.hpp"

namespace edgeml::runtime {

#ifdef EDGEML_HAVE_ORT
std::unique_ptr<Runtime> make_ort_runtime();
#endif
std::unique_ptr<Runtime> make_opencv_runtime();

}  // namespace edgeml::runtime
