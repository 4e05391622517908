#include "runtime/input_spec.hpp"

#include "common/error.hpp"

namespace edgeml::runtime {

const char* const kConventionMetadataKey = "edgeml.preprocess";

std::string to_string(Layout layout) {
  switch (layout) {
    case Layout::nchw:
      return "NCHW";
    case Layout::nhwc:
      return "NHWC";
    case Layout::flat:
      return "flat";
  }
  return "flat";
}

std::string to_string(Convention c) {
  switch (c) {
    case Convention::raw_0_255:
      return "raw_0_255";
    case Convention::unit_0_1:
      return "unit_0_1";
    case Convention::imagenet_mean_std:
      return "imagenet_mean_std";
    case Convention::minus1_1:
      return "minus1_1";
  }
  return "imagenet_mean_std";
}

Convention parse_convention(const std::string& text, const std::string& field) {
  for (Convention c :
       {Convention::raw_0_255, Convention::unit_0_1, Convention::imagenet_mean_std, Convention::minus1_1})
    if (text == to_string(c)) return c;
  throw FieldError(
      field, "'" + field + "' must be one of raw_0_255, unit_0_1, imagenet_mean_std, minus1_1; got '" + text + "'");
}

nlohmann::json to_json(const InputSpec& spec) {
  return {{"layout", to_string(spec.layout)}, {"convention", to_string(spec.convention)}, {"source", spec.source}};
}

Layout layout_from_shape(const std::vector<int64_t>& s) {
  auto channels = [](int64_t c) { return c == 1 || c == 3 || c == 4; };
  if (s.size() != 4) return Layout::flat;
  if (channels(s[1]) && !channels(s[3])) return Layout::nchw;
  if (channels(s[3]) && !channels(s[1])) return Layout::nhwc;
  if (channels(s[1])) return Layout::nchw;  // e.g. [1,3,4,3]: ONNX's usual order wins
  return Layout::flat;
}

}  // namespace edgeml::runtime
