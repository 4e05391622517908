#pragma once
// Whether a model can be deployed, and with what weights, before anyone tries: the artifact store (a file's own
// metadata says whether its weights are the zoo's placeholders), a configured model source (tried at deploy time),
// or the zoo (the architecture with placeholder weights). The same order resolve_artifact() follows at deploy time.
// Shown beside every row of /api/models/all and /api/models/recommended, and carried to the agent with the artifact.
#include <cstdint>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>

#include "controller/artifact_store.hpp"

namespace edgeml::controller {

// What a model's weights are: the zoo's seeded placeholders (outputs mean nothing), or whatever a provided file holds.
inline constexpr const char* kWeightsPlaceholder = "placeholder";
inline constexpr const char* kWeightsFile = "file";
inline constexpr const char* kWeightsUnknown = "unknown";  // not fetched yet

// kWeightsPlaceholder when the file's metadata carries the zoo's placeholder note, else kWeightsFile.
std::string artifact_weights(const std::filesystem::path& file);
// The words for a weights value, for answers and step details.
std::string weights_note(const std::string& weights);

struct Availability {
  bool deployable = false;
  std::string origin;   // "store" | "source" | "zoo" | "" (none)
  std::string file;     // the store's file, when it is there
  std::string format;   // of that file
  std::string weights;  // kWeights* ("" when there is no artifact)
  std::string note;     // in words, e.g. why not deployable
  // {"deployable", "artifact": {"origin", "file", "format", "note"} | null, "weights", "weights_note",
  //  "deployable_note"}
  nlohmann::json to_json() const;
  // The fields every row of a model list carries (kept short: a list holds hundreds):
  // {"deployable", "artifact": {"origin", "file"} | null, "weights"} and "deployable_note" when not deployable.
  nlohmann::json to_row_json() const;
};

class ArtifactAvailability {
 public:
  ArtifactAvailability(ArtifactStore& store, size_t source_count) : store_(store), sources_(source_count) {}
  // Cached until the store's folder changes (a file added, replaced or removed).
  Availability of(const std::string& model_name);
  // of(model_name).to_row_json() serialized, from the same cache (list answers join these texts).
  std::string json_text(const std::string& model_name);
  // artifact_weights(), cached by sha256 (an ONNX file is parsed once).
  std::string weights_of(const Artifact& a);

 private:
  struct Entry {
    Availability availability;
    std::string text;
  };
  Entry entry(const std::string& model_name);
  Availability compute(const std::string& model_name);
  ArtifactStore& store_;
  size_t sources_;
  std::mutex mu_;
  std::int64_t folder_mtime_ns_ = -1;
  std::map<std::string, Entry> by_model_;
  std::map<std::string, std::string> weights_by_sha_;
};

}  // namespace edgeml::controller
