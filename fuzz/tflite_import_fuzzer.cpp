// The TFLite reader and importer (src/tflite) on a file's bytes, as the inspector and the runtimes use them: the
// bounds-checked FlatBuffer reader (ModelFile), the facts the inspector shows (describe), and the translation to an
// ONNX graph (import: dequantization, shape folding, every operator's output shape checked).
//
// Input: the .tflite file's bytes.
//
// Promises checked (tflite/importer.hpp, tflite/reader.hpp): any bad input throws edgeml::Error and nothing else;
// a model that imports gives a serialized ONNX ModelProto that parses, with the input and output it names.
#include <onnx/onnx_pb.h>

#include <string>

#include "common/error.hpp"
#include "fuzz_support.hpp"
#include "tflite/describe.hpp"
#include "tflite/importer.hpp"
#include "tflite/reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using edgeml::fuzz::expect;
  const std::string_view bytes = edgeml::fuzz::as_text(data, size);
  try {
    edgeml::tflite::ModelFile file(bytes);
    const auto facts = edgeml::tflite::describe(file.model());
    expect(facts.params >= 0 && facts.macs >= 0 && facts.flops >= 0, "describe: negative counts");
  } catch (const edgeml::Error& e) {
    edgeml::fuzz::note(std::string("read refused: ") + e.what());
    return 0;  // documented: a corrupt file (bad_field), an unsupported form (unprocessable), too large
  } catch (const std::exception& e) {
    edgeml::fuzz::undocumented(e, "ModelFile/describe");
  }
  edgeml::tflite::ImportResult result;
  try {
    result = edgeml::tflite::import(bytes);
  } catch (const edgeml::Error& e) {
    edgeml::fuzz::note(std::string("import refused: ") + e.what());
    return 0;
  } catch (const std::exception& e) {
    edgeml::fuzz::undocumented(e, "tflite::import");
  }
  edgeml::fuzz::note("imported: " + std::to_string(result.onnx.size()) + " bytes of ONNX");
  ::onnx::ModelProto model;
  expect(model.ParseFromString(result.onnx), "import() wrote bytes that are not an ONNX ModelProto");
  expect(model.graph().input_size() >= 1 && model.graph().input(0).name() == result.input_name,
         "import(): the graph's first input is not '" + result.input_name + "'");
  bool output_found = false;
  for (const auto& o : model.graph().output()) output_found |= o.name() == result.output_name;
  expect(output_found, "import(): no graph output named '" + result.output_name + "'");
  return 0;
}
