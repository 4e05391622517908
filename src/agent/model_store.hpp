#pragma once
// The on-disk model store: "<state>/models/<name>/<sha256>.<format>". A version appears under its final name only
// once its size and sha256 have been verified and it has been fsynced (IncomingFile), so every file the store lists
// is complete. The store never decides what is active; the agent state does (agent_state.hpp).
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "agent/incoming_file.hpp"
#include "agent/model_ref.hpp"

namespace edgeml::agent {

struct StoreLimits {
  size_t keep_versions = 3;                    // newest versions kept per model name, plus active and previous
  std::uint64_t reserve_bytes = 32ull << 20;   // free space left after a model is stored (507 otherwise)
  std::uint64_t max_model_bytes = 1ull << 30;  // single model size limit (413 beyond)
};

// What a transfer claims; checked against what actually arrives.
struct Expected {
  std::string name;
  std::string sha256;
  std::optional<std::uint64_t> size;  // when known in advance (deploy body, Content-Length)
};

class ModelStore {
 public:
  ModelStore(std::filesystem::path state_dir, StoreLimits limits);

  const std::filesystem::path& state_dir() const { return state_dir_; }
  std::filesystem::path state_file() const { return state_dir_ / "agent_state.json"; }
  const StoreLimits& limits() const { return limits_; }

  // Deletes temporary files a crash left behind (".incoming-*"); returns how many.
  size_t remove_leftovers();

  // Throws Error(507) when size bytes plus the reserve would not fit, 413 when over the size limit.
  void check_space(std::uint64_t size) const;

  // Starts receiving a version: validates the name and sha256, checks space when the size is known.
  std::unique_ptr<IncomingFile> begin(const Expected& expected) const;
  // Verifies size and sha256 (FieldError "size"/"sha256" on mismatch: the temporary file is dropped), then moves the
  // file into place. Storing a version that already exists keeps the existing file.
  ModelRef commit(std::unique_ptr<IncomingFile> file, const Expected& expected) const;

  std::optional<ModelRef> find(const std::string& name, const std::string& sha256) const;
  // Records the pixel convention a deploy asked for beside the model file ("<sha256>.preprocess.txt"), so it comes
  // back with the model after a restart; "" removes it. list() and find() fill ModelRef::preprocess from it.
  void set_preprocess(ModelRef& ref, const std::string& convention) const;
  // The same for what the weights are ("<sha256>.weights.txt"; ModelRef::weights).
  void set_weights(ModelRef& ref, const std::string& weights) const;
  std::vector<ModelRef> list() const;  // every stored version, by name then newest first
  std::filesystem::path path_of(const ModelRef& ref) const;

  // Keeps the keep_versions newest versions of name and those in keep (active, previous); deletes the rest.
  // Returns the deleted refs.
  std::vector<ModelRef> prune(const std::string& name, const std::set<std::string>& keep_sha256) const;

 private:
  std::filesystem::path folder(const std::string& name) const { return state_dir_ / "models" / name; }
  std::filesystem::path state_dir_;
  StoreLimits limits_;
};

// "onnx", "tflite", ... from the file's bytes (the project's one detector, onnx::detect_file_format), or "bin".
std::string detect_model_format(const std::filesystem::path& file);

}  // namespace edgeml::agent
