#include "controller/artifact_store.hpp"

#include <fstream>

#include "common/error.hpp"
#include "common/files.hpp"
#include "common/sha256.hpp"
#include "onnx/model_format.hpp"

namespace edgeml::controller {

namespace fs = std::filesystem;

namespace {
// The store serves regular files only: a symbolic link (to the database, to /etc/passwd) or a device file placed in
// the folder is never served, listed or described.
bool is_plain_file(const fs::path& p) {
  std::error_code ec;
  return fs::symlink_status(p, ec).type() == fs::file_type::regular;
}

std::string format_of(const fs::path& p) { return onnx::to_string(onnx::detect_file_format(p)); }

const std::vector<std::string> kModelExtensions = {".onnx", ".tflite", ".pt", ".pth", ".bin"};
}  // namespace

nlohmann::json to_json(const Artifact& a) {
  return {{"file", a.file},
          {"artifact_file", a.file},
          {"sha256", a.sha256},
          {"size_bytes", a.size},
          {"size_mb", a.size / 1048576.0},
          {"format", a.format},
          {"modified_at", a.modified_at},
          {"url_path", "/models/" + a.file}};
}

ArtifactStore::ArtifactStore(fs::path dir) : dir_(std::move(dir)) { fs::create_directories(dir_); }

void ArtifactStore::validate_file_name(const std::string& name, const std::string& field) {
  if (name.empty() || name.size() > 200) throw FieldError(field, field + " must be 1-200 characters");
  for (unsigned char c : name) {
    if (c == 0) throw FieldError(field, field + " contains a NUL byte");
    if (c == '/' || c == '\\') throw FieldError(field, field + " must be a plain file name (no '/' or '\\')");
    if (!(std::isalnum(c) || c == '.' || c == '_' || c == '-'))
      throw FieldError(field, field + " may only contain letters, digits, '.', '_' and '-'");
  }
  if (name.find("..") != std::string::npos) throw FieldError(field, field + " must not contain '..'");
  if (name.front() == '.') throw FieldError(field, field + " must not start with '.'");
}

std::string ArtifactStore::extension_for(const std::string& format) {
  if (format == "onnx") return ".onnx";
  if (format == "tflite") return ".tflite";
  if (format == "pytorch") return ".pt";
  return ".bin";
}

fs::path ArtifactStore::scratch_path(const std::string& model_name) const { return dir_ / (".incoming-" + model_name); }

Artifact ArtifactStore::describe(const std::string& file) {
  fs::path p = dir_ / file;
  if (!is_plain_file(p)) throw NotFoundError("no artifact named '" + file + "' in the store", "file");
  std::error_code ec;
  auto size = fs::file_size(p, ec);
  if (ec) throw NotFoundError("no artifact named '" + file + "' in the store", "file");
  auto mtime = fs::last_write_time(p, ec);
  std::int64_t mtime_ns = mtime.time_since_epoch().count();
  Artifact a{file, "", size, "", 0};
  a.modified_at = std::chrono::duration<double>(std::chrono::file_clock::to_sys(mtime).time_since_epoch()).count();
  {
    std::lock_guard lock(mu_);
    auto it = cache_.find(file);
    if (it != cache_.end() && it->second.size == size && it->second.mtime_ns == mtime_ns) {
      a.sha256 = it->second.sha256;
      a.format = it->second.format;
      return a;
    }
  }
  a.sha256 = sha256_file(p);
  a.format = format_of(p);
  std::lock_guard lock(mu_);
  cache_[file] = {size, mtime_ns, a.sha256, a.format};
  return a;
}

std::optional<Artifact> ArtifactStore::find(const std::string& file) {
  validate_file_name(file);
  if (!is_plain_file(dir_ / file)) return std::nullopt;
  return describe(file);
}

std::optional<Artifact> ArtifactStore::find_model(const std::string& model_name) {
  for (const auto& ext : kModelExtensions) {
    std::string file = model_name + ext;
    if (is_plain_file(dir_ / file)) return describe(file);
  }
  return std::nullopt;
}

std::vector<Artifact> ArtifactStore::list() {
  std::vector<Artifact> out;
  for (const auto& e : fs::directory_iterator(dir_)) {
    std::string name = e.path().filename().string();
    if (!is_plain_file(e.path()) || name.front() == '.') continue;
    out.push_back(describe(name));
  }
  std::sort(out.begin(), out.end(), [](const Artifact& a, const Artifact& b) { return a.file < b.file; });
  return out;
}

Artifact ArtifactStore::put_model(const std::string& model_name, std::string_view bytes) {
  std::string format = onnx::to_string(onnx::detect_format(bytes));
  std::string file = model_name + extension_for(format);
  validate_file_name(file, "model_name");
  write_file_atomic(dir_ / file, bytes);
  return describe(file);
}

Artifact ArtifactStore::adopt_model(const std::string& model_name, const fs::path& downloaded) {
  std::string format = format_of(downloaded);
  std::string file = model_name + extension_for(format);
  validate_file_name(file, "model_name");
  fs::rename(downloaded, dir_ / file);
  fsync_dir(dir_);
  return describe(file);
}

}  // namespace edgeml::controller
