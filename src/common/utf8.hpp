#pragma once
// Text from files and devices made safe to write as JSON: nlohmann::json::dump throws on invalid UTF-8, so a model
// name, a CSV cell or an ONNX producer string holding stray bytes would turn an answer into an error.
#include <string>
#include <string_view>

namespace edgeml {

// The text with every byte that does not belong to a well-formed UTF-8 sequence (RFC 3629: no overlong forms, no
// surrogates, nothing above U+10FFFF) replaced by U+FFFD; valid text comes back unchanged.
std::string valid_utf8(std::string_view s);

}  // namespace edgeml
