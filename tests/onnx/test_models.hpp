#pragma once
// Helpers shared by the onnx tests: temporary folders and models rewritten to keep their weights in a side file.
#include <filesystem>
#include <functional>
#include <string>

namespace edgeml::onnx::testing {

// A fresh folder under the system temp dir, removed when the object dies.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// Rewrites a serialized model so every initializer over 1 KiB lives in <dir>/<data_name> (ONNX external data,
// as onnx.save_model(..., save_as_external_data=True) writes it), saves the model as <dir>/<model_name> and
// returns its path.
std::filesystem::path write_with_external_data(const std::string& model_bytes, const std::filesystem::path& dir,
                                               const std::string& model_name, const std::string& data_name);

std::string slurp(const std::filesystem::path& path);
void spit(const std::filesystem::path& path, const std::string& bytes);

// The message of the std::runtime_error f throws, or "" when it throws none.
std::string error_of(const std::function<void()>& f);

}  // namespace edgeml::onnx::testing
