#include "agent/tensor_input.hpp"

#include <dlfcn.h>

#include <algorithm>
#include <cstring>
#include <mutex>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "common/error.hpp"
#include "common/strings.hpp"

namespace edgeml::agent {

namespace {
// Debian's libopencv_imgcodecs links ~120 shared libraries (GDAL, poppler, proj, ...) that would triple the idle RSS
// of the agent, so it is loaded on the first image only, and cv::imdecode is looked up by its C++ symbol (same OpenCV
// headers as the library, so the same ABI).
using ImdecodeFn = cv::Mat (*)(cv::InputArray, int);
ImdecodeFn imdecode_fn() {
  static std::once_flag once;
  static ImdecodeFn fn = nullptr;
  static std::string error;
  std::call_once(once, [] {
    void* lib = nullptr;
    for (const char* name : {"libopencv_imgcodecs.so.406", "libopencv_imgcodecs.so"})
      if ((lib = ::dlopen(name, RTLD_NOW | RTLD_GLOBAL))) break;
    if (!lib) {
      error = std::string("cannot load OpenCV imgcodecs: ") + ::dlerror();
      return;
    }
    fn = reinterpret_cast<ImdecodeFn>(::dlsym(lib, "_ZN2cv8imdecodeERKNS_11_InputArrayEi"));
    if (!fn) error = "OpenCV imgcodecs has no cv::imdecode(InputArray, int)";
  });
  if (!fn) throw Error(ErrorKind::unavailable, "image input unavailable: " + error + "; send raw float32 instead");
  return fn;
}

std::vector<float> from_image(const std::string& body, const TensorShape& input, Normalization norm) {
  // NCHW with 3 channels: [1, 3, H, W]. Dynamic H or W (-1) has no size to resize to.
  const auto& s = input.shape;
  if (s.size() != 4 || s[1] != 3 || s[2] <= 0 || s[3] <= 0)
    throw FieldError("Content-Type",
                     "the active model's input is not a fixed [1,3,H,W] image tensor; send raw float32 "
                     "(application/octet-stream) instead");
  cv::Mat raw(1, static_cast<int>(body.size()), CV_8UC1, const_cast<char*>(body.data()));
  cv::Mat bgr = imdecode_fn()(raw, cv::IMREAD_COLOR);
  if (bgr.empty()) throw FieldError("body", "the body is not a decodable PNG or JPEG image");
  const int h = static_cast<int>(s[2]), w = static_cast<int>(s[3]);
  cv::Mat resized, rgb, f;
  cv::resize(bgr, resized, cv::Size(w, h), 0, 0, cv::INTER_AREA);
  cv::cvtColor(resized, rgb, cv::COLOR_BGR2RGB);
  rgb.convertTo(f, CV_32FC3, 1.0 / 255.0);
  const float mean[3] = {0.485f, 0.456f, 0.406f}, stdev[3] = {0.229f, 0.224f, 0.225f};
  std::vector<float> out(static_cast<size_t>(3) * h * w);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      const auto& px = f.at<cv::Vec3f>(y, x);
      for (int c = 0; c < 3; ++c) {
        float v = px[c];
        if (norm == Normalization::imagenet) v = (v - mean[c]) / stdev[c];
        out[(static_cast<size_t>(c) * h + y) * w + x] = v;
      }
    }
  return out;
}
}  // namespace

std::vector<float> tensor_from_body(const std::string& content_type, const std::string& body, const TensorShape& input,
                                    Normalization norm) {
  auto type = to_lower(trim(split(content_type, ';').empty() ? "" : split(content_type, ';')[0]));
  if (type == "image/png" || type == "image/jpeg") return from_image(body, input, norm);
  if (type == "application/octet-stream") {
    size_t want = input.element_count * sizeof(float);
    if (body.size() != want)
      throw FieldError("body", "expected " + std::to_string(want) + " bytes (" + std::to_string(input.element_count) +
                                   " float32 values), got " + std::to_string(body.size()));
    std::vector<float> out(input.element_count);
    std::memcpy(out.data(), body.data(), want);
    return out;
  }
  throw FieldError("Content-Type", "Content-Type must be image/png, image/jpeg or application/octet-stream, got '" +
                                       content_type + "'");
}

std::vector<TopEntry> top_k(const std::vector<float>& values, size_t k) {
  std::vector<TopEntry> all(values.size());
  for (size_t i = 0; i < values.size(); ++i) all[i] = {i, values[i]};
  k = std::min(k, all.size());
  std::partial_sort(all.begin(), all.begin() + static_cast<long>(k), all.end(),
                    [](const TopEntry& a, const TopEntry& b) { return a.value > b.value; });
  all.resize(k);
  return all;
}

}  // namespace edgeml::agent
