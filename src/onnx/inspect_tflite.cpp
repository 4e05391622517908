// TFLite files: the figures come from the file itself (tflite::describe), and the file is also translated once
// (tflite::import) so the answer says whether our runtimes will run it, and if not, which operators stop it.
#include "common/error.hpp"
#include "onnx/format_inspectors.hpp"
#include "tflite/describe.hpp"
#include "tflite/importer.hpp"
#include "tflite/reader.hpp"

namespace edgeml::onnx {

void inspect_tflite(std::string_view bytes, InspectResult& r) {
  const tflite::ModelFile file(bytes);
  const tflite::Model& m = file.model();
  const tflite::ModelFacts f = tflite::describe(m);
  r.params = f.params;
  r.macs = f.macs;
  r.flops = f.flops;
  r.input_name = f.input_name;
  r.input_shape = f.input_shape;
  r.input_type = f.input_type;
  r.ops = f.ops;
  r.weight_types = f.weight_types;
  r.unsupported_ops = f.unsupported;
  r.nodes = static_cast<int64_t>(m.operators.size());
  r.notes = f.notes;
  r.producer = m.description;
  r.metadata.emplace_back("tflite_schema_version", std::to_string(m.version));
  for (const auto& md : m.metadata)
    if (md.name == "min_runtime_version" || md.name == "edgeml.preprocess")
      r.metadata.emplace_back(md.name, std::string(md.data.substr(0, md.data.find('\0'))));
  try {
    const tflite::ImportResult imported = tflite::import_model(m);
    for (const auto& note : imported.notes) r.notes.push_back("runtime: " + note);
    if (!imported.convention.empty())
      r.notes.push_back("input convention " + imported.convention + " (" + imported.convention_source + ")");
  } catch (const Error& e) {
    if (e.kind() == ErrorKind::bad_field) throw;  // a corrupt file is an error, not a refusal
    r.refusal = e.what();
  }
  r.graph_stats = true;
}

}  // namespace edgeml::onnx
