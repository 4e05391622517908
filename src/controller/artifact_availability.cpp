#include "controller/artifact_availability.hpp"

#include <sys/stat.h>

#include "onnx/inspector.hpp"
#include "onnx/zoo.hpp"

namespace edgeml::controller {

namespace {
std::int64_t mtime_ns(const std::filesystem::path& p) {
  struct stat st {};
  if (::stat(p.c_str(), &st) != 0) return 0;
  return static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
}
}  // namespace

std::string artifact_weights(const std::filesystem::path& file) {
  try {
    for (const auto& [key, value] : onnx::inspect_file(file).metadata)
      if (key == "weights" && value == onnx::kPlaceholderWeightsNote) return kWeightsPlaceholder;
  } catch (const std::exception&) {
    // Not a file we can read the metadata of: its weights are whatever it holds.
  }
  return kWeightsFile;
}

std::string weights_note(const std::string& weights) {
  if (weights == kWeightsPlaceholder)
    return "placeholder weights (the zoo's seeded values: right for latency and energy, outputs mean nothing)";
  if (weights == kWeightsFile) return "weights as stored in the model file";
  if (weights == kWeightsUnknown) return "weights unknown until the file is fetched";
  return "no artifact";
}

nlohmann::json Availability::to_json() const {
  nlohmann::json artifact;
  if (!origin.empty())
    artifact = {{"origin", origin},
                {"file", file.empty() ? nlohmann::json() : nlohmann::json(file)},
                {"format", format.empty() ? nlohmann::json() : nlohmann::json(format)},
                {"note", note}};
  return {{"deployable", deployable},
          {"artifact", artifact},
          {"weights", weights.empty() ? nlohmann::json() : nlohmann::json(weights)},
          {"weights_note", weights_note(weights)},
          {"deployable_note", deployable ? nlohmann::json() : nlohmann::json(note)}};
}

nlohmann::json Availability::to_row_json() const {
  nlohmann::json j{
      {"deployable", deployable},
      {"artifact", origin.empty() ? nlohmann::json()
                                  : nlohmann::json{{"origin", origin},
                                                   {"file", file.empty() ? nlohmann::json() : nlohmann::json(file)}}},
      {"weights", weights.empty() ? nlohmann::json() : nlohmann::json(weights)}};
  if (!deployable) j["deployable_note"] = note;
  return j;
}

std::string ArtifactAvailability::weights_of(const Artifact& a) {
  {
    std::lock_guard lock(mu_);
    if (auto it = weights_by_sha_.find(a.sha256); it != weights_by_sha_.end()) return it->second;
  }
  std::string w = artifact_weights(store_.path_of(a.file));
  std::lock_guard lock(mu_);
  weights_by_sha_[a.sha256] = w;
  return w;
}

Availability ArtifactAvailability::compute(const std::string& model_name) {
  Availability a;
  if (auto stored = store_.find_model(model_name)) {
    a.deployable = true;
    a.origin = "store";
    a.file = stored->file;
    a.format = stored->format;
    a.weights = weights_of(*stored);
    a.note = "in the artifact store";
    return a;
  }
  const bool zoo = onnx::zoo_has(model_name);
  if (sources_ > 0) {
    a.deployable = true;
    a.origin = "source";
    a.weights = kWeightsUnknown;
    a.note = "not in the store: fetched from the " + std::to_string(sources_) + " configured model source(s) at deploy";
    a.note += zoo ? ", else built by the zoo with placeholder weights" : " (not checked until then)";
    return a;
  }
  if (zoo) {
    a.deployable = true;
    a.origin = "zoo";
    a.format = "onnx";
    a.weights = kWeightsPlaceholder;
    a.note = "built by the model zoo at deploy: the architecture with placeholder weights";
    return a;
  }
  a.note = "not in the artifact store, no model source configured, not an architecture the zoo builds";
  return a;
}

ArtifactAvailability::Entry ArtifactAvailability::entry(const std::string& model_name) {
  const std::int64_t now = mtime_ns(store_.dir());
  {
    std::lock_guard lock(mu_);
    if (now != folder_mtime_ns_) {
      by_model_.clear();
      folder_mtime_ns_ = now;
    }
    if (auto it = by_model_.find(model_name); it != by_model_.end()) return it->second;
  }
  Entry e;
  e.availability = compute(model_name);
  e.text = e.availability.to_row_json().dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::lock_guard lock(mu_);
  if (folder_mtime_ns_ == now) by_model_[model_name] = e;
  return e;
}

Availability ArtifactAvailability::of(const std::string& model_name) { return entry(model_name).availability; }

std::string ArtifactAvailability::json_text(const std::string& model_name) { return entry(model_name).text; }

}  // namespace edgeml::controller
