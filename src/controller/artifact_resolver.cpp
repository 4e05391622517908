#include "controller/artifact_resolver.hpp"

#include "common/error.hpp"
#include "common/log.hpp"
#include "controller/artifact_availability.hpp"
#include "onnx/zoo.hpp"

namespace edgeml::controller {

ResolvedArtifact resolve_artifact(ArtifactStore& store, const std::vector<fetch::ModelSource>& sources,
                                  const std::string& model_name, const fetch::DownloadOptions& download) {
  if (auto a = store.find_model(model_name))
    return {*a, "store", "already in the artifact store", artifact_weights(store.path_of(a->file))};
  std::vector<std::string> errors;
  if (!sources.empty()) {
    auto scratch = store.scratch_path(model_name);
    auto got = fetch::fetch_from_sources(sources, model_name, scratch, download, &errors);
    if (got) {
      auto a = store.adopt_model(model_name, got->download.path);
      log::info("controller",
                "fetched " + model_name + " from " + got->url + " (" + std::to_string(a.size) + " bytes)");
      return {a, "source " + got->source, "downloaded from " + got->url, artifact_weights(store.path_of(a.file))};
    }
  }
  if (onnx::zoo_has(model_name)) {
    auto a = store.put_model(model_name, onnx::zoo_build(model_name));
    return {a, "zoo", "generated, placeholder weights", kWeightsPlaceholder};
  }
  std::string tried = "the store";
  if (!sources.empty()) tried += ", " + std::to_string(sources.size()) + " source(s)";
  tried += " and the zoo";
  std::string detail;
  for (const auto& e : errors) detail += "; " + e;
  throw NotFoundError("no artifact for model '" + model_name + "' (tried " + tried + ")" + detail, "model_name");
}

}  // namespace edgeml::controller
