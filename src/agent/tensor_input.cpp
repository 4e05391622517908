#include "agent/tensor_input.hpp"

#include <dlfcn.h>

#include <algorithm>
#include <cstring>
#include <mutex>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "agent/image_header.hpp"
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

// What one 0..255 channel value becomes under a convention (input_spec.hpp).
float convert(float v, runtime::Convention c, int channel) {
  static const float mean[3] = {0.485f, 0.456f, 0.406f}, stdev[3] = {0.229f, 0.224f, 0.225f};
  switch (c) {
    case runtime::Convention::raw_0_255:
      return v;
    case runtime::Convention::unit_0_1:
      return v / 255.0f;
    case runtime::Convention::imagenet_mean_std:
      return (v / 255.0f - mean[channel]) / stdev[channel];
    case runtime::Convention::minus1_1:
      return v / 127.5f - 1.0f;
  }
  return v;
}

std::vector<float> from_image(const std::string& body, const TensorShape& input, const runtime::InputSpec& spec,
                              std::uint64_t max_pixels) {
  // [1,3,H,W] (NCHW) or [1,H,W,3] (NHWC). Dynamic H or W (-1) has no size to resize to.
  const auto& s = input.shape;
  const bool nhwc = spec.layout == runtime::Layout::nhwc;
  const bool image = spec.layout != runtime::Layout::flat && s.size() == 4 && s[nhwc ? 3 : 1] == 3;
  const int64_t h64 = image ? s[nhwc ? 1 : 2] : 0, w64 = image ? s[nhwc ? 2 : 3] : 0;
  if (!image || h64 <= 0 || w64 <= 0 || h64 > 16384 || w64 > 16384)
    throw FieldError("Content-Type",
                     "the active model's input is not a fixed 3-channel image tensor ([1,3,H,W] or [1,H,W,3]); send "
                     "raw float32 (application/octet-stream) instead");
  check_image_pixels(body, max_pixels);  // before decoding: a small file can claim a huge image
  cv::Mat raw(1, static_cast<int>(body.size()), CV_8UC1, const_cast<char*>(body.data()));
  cv::Mat bgr = imdecode_fn()(raw, cv::IMREAD_COLOR);
  if (bgr.empty()) throw FieldError("body", "the body is not a decodable PNG or JPEG image");
  const int h = static_cast<int>(h64), w = static_cast<int>(w64);
  cv::Mat resized, rgb;
  cv::resize(bgr, resized, cv::Size(w, h), 0, 0, cv::INTER_AREA);
  cv::cvtColor(resized, rgb, cv::COLOR_BGR2RGB);
  std::vector<float> out(static_cast<size_t>(3) * h * w);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      const auto& px = rgb.at<cv::Vec3b>(y, x);
      for (int c = 0; c < 3; ++c) {
        const size_t at = nhwc ? (static_cast<size_t>(y) * w + x) * 3 + c : (static_cast<size_t>(c) * h + y) * w + x;
        out[at] = convert(px[c], spec.convention, c);
      }
    }
  return out;
}
}  // namespace

ImageInput tensor_from_body(const std::string& content_type, const std::string& body, const TensorShape& input,
                            const runtime::InputSpec& spec, const std::optional<std::string>& normalize,
                            std::uint64_t max_image_pixels) {
  auto type = to_lower(trim(split(content_type, ';').empty() ? "" : split(content_type, ';')[0]));
  ImageInput result;
  result.used = spec;
  if (type == "image/png" || type == "image/jpeg") {
    if (normalize) {
      if (*normalize != "imagenet" && *normalize != "none")
        throw FieldError("normalize", "'normalize' must be imagenet or none, got '" + *normalize + "'");
      result.used.convention =
          *normalize == "imagenet" ? runtime::Convention::imagenet_mean_std : runtime::Convention::unit_0_1;
      result.used.source = "request (normalize=" + *normalize + ")";
    }
    result.values = from_image(body, input, result.used, max_image_pixels);
    return result;
  }
  if (type == "application/octet-stream") {
    size_t want = input.element_count * sizeof(float);
    if (body.size() != want)
      throw FieldError("body", "expected " + std::to_string(want) + " bytes (" + std::to_string(input.element_count) +
                                   " float32 values), got " + std::to_string(body.size()));
    result.values.resize(input.element_count);
    std::memcpy(result.values.data(), body.data(), want);
    result.used.source = "raw float32 body, used as sent";
    return result;
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
