#pragma once
// Step 2 of a deployment: the model file, from the store, else the configured sources (downloaded with a checksum
// when one is given), else built by the zoo (the architecture with placeholder weights). Whatever is found ends up
// in the store as <model_name>.<ext>, so /models/<file> serves exactly the bytes the agent verifies.
#include <optional>
#include <string>
#include <vector>

#include "controller/artifact_store.hpp"
#include "fetch/model_sources.hpp"

namespace edgeml::controller {

struct ResolvedArtifact {
  Artifact artifact;
  std::string origin;   // "store" | "source <name>" | "zoo"
  std::string note;     // e.g. "generated, placeholder weights"
  std::string weights;  // kWeightsPlaceholder | kWeightsFile (artifact_availability.hpp), carried to the agent
};

// NotFoundError("model_name") when nothing has it; the message lists what was tried.
ResolvedArtifact resolve_artifact(ArtifactStore& store, const std::vector<fetch::ModelSource>& sources,
                                  const std::string& model_name, const fetch::DownloadOptions& download = {});

}  // namespace edgeml::controller
