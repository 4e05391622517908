#pragma once
// The controller's artifact store (--models DIR, the original model_store/): model files served to agents at
// /models/<file>. A file's format comes from its bytes (onnx, tflite, pytorch, unknown), and its sha256 is cached
// by (size, mtime) so serving does not rehash on every request.
#include <cstdint>
#include <filesystem>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace edgeml::controller {

struct Artifact {
  std::string file;  // name inside the store, e.g. "mobilenetv2_100.onnx"
  std::string sha256;
  std::uint64_t size = 0;
  std::string format;  // onnx | tflite | pytorch | unknown
  double modified_at = 0;
};
nlohmann::json to_json(const Artifact& a);

class ArtifactStore {
 public:
  explicit ArtifactStore(std::filesystem::path dir);

  // A plain file name: [A-Za-z0-9._-], 1-200 chars, not starting with '.', no "..". Throws FieldError(field).
  static void validate_file_name(const std::string& name, const std::string& field = "file");
  // The extension a stored file gets for its format: .onnx .tflite .pt .bin
  static std::string extension_for(const std::string& format);

  std::optional<Artifact> find(const std::string& file);
  // <model_name>.<ext> for the first of onnx, tflite, pt, pth, bin that exists.
  std::optional<Artifact> find_model(const std::string& model_name);
  std::vector<Artifact> list();
  // Writes bytes as <model_name>.<ext for their format> (atomic). Returns the stored artifact.
  Artifact put_model(const std::string& model_name, std::string_view bytes);
  // Moves a downloaded file in as <model_name>.<ext for its format>.
  Artifact adopt_model(const std::string& model_name, const std::filesystem::path& downloaded);

  std::filesystem::path path_of(const std::string& file) const { return dir_ / file; }
  const std::filesystem::path& dir() const { return dir_; }
  // A scratch path inside the store's folder (same file system, so adopt_model is a rename).
  std::filesystem::path scratch_path(const std::string& model_name) const;

 private:
  Artifact describe(const std::string& file);
  std::filesystem::path dir_;
  std::mutex mu_;
  struct CacheEntry {
    std::uint64_t size;
    std::int64_t mtime_ns;
    std::string sha256, format;
  };
  std::map<std::string, CacheEntry> cache_;
};

}  // namespace edgeml::controller
