#include "agent/model_store.hpp"

#include <sys/stat.h>

#include <algorithm>

#include "common/error.hpp"
#include "common/files.hpp"
#include "common/log.hpp"
#include "common/strings.hpp"
#include "runtime/runtime.hpp"

namespace fs = std::filesystem;

namespace edgeml::agent {

std::string detect_model_format(const fs::path& file) {
  auto f = runtime::detect_format(file);
  if (f != "unknown" && !f.empty()) return f;
  return "bin";
}

namespace {
double mtime_s(const fs::path& p) {
  struct stat st {};
  if (::stat(p.c_str(), &st) != 0) return 0;
  return static_cast<double>(st.st_mtim.tv_sec) + static_cast<double>(st.st_mtim.tv_nsec) * 1e-9;
}
// Beside "<sha256>.<format>"; its stem is not a sha256, so list() does not take it for a model file.
constexpr const char* kPreprocessSuffix = ".preprocess.txt";
constexpr const char* kWeightsSuffix = ".weights.txt";

// A side file beside a model version: written with the value, removed for "".
void write_side(const fs::path& side, const std::string& value) {
  if (value.empty()) {
    std::error_code ec;
    fs::remove(side, ec);
  } else {
    write_file_atomic(side, value + "\n");
  }
}
std::string mib(std::uint64_t b) { return format_number(static_cast<double>(b) / (1 << 20), 1) + " MiB"; }
}  // namespace

ModelStore::ModelStore(fs::path state_dir, StoreLimits limits) : state_dir_(std::move(state_dir)), limits_(limits) {
  fs::create_directories(state_dir_ / "models");
}

size_t ModelStore::remove_leftovers() {
  size_t n = 0;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(state_dir_, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    auto name = it->path().filename().string();
    // Ours (".incoming-") and write_file_atomic's ("<file>.tmp-<pid>").
    if (it->is_regular_file() && (name.rfind(kIncomingPrefix, 0) == 0 || name.find(".tmp-") != std::string::npos)) {
      std::error_code rm;
      if (fs::remove(it->path(), rm)) {
        ++n;
        log::info("agent", "removed a temporary file left by an interrupted transfer: " + it->path().string());
      }
    }
  }
  return n;
}

void ModelStore::check_space(std::uint64_t size) const {
  if (size > limits_.max_model_bytes)
    throw Error(ErrorKind::too_large,
                "model size " + mib(size) + " is over the limit of " + mib(limits_.max_model_bytes), "size");
  std::uint64_t free = free_bytes(state_dir_);
  if (size + limits_.reserve_bytes > free)
    throw Error(ErrorKind::insufficient_storage,
                "not enough storage: the model needs " + mib(size) + " plus a reserve of " +
                    mib(limits_.reserve_bytes) + ", but only " + mib(free) + " are free in " + state_dir_.string(),
                "size");
}

std::unique_ptr<IncomingFile> ModelStore::begin(const Expected& expected) const {
  validate_model_name(expected.name);
  normalize_sha256(expected.sha256);
  if (expected.size) check_space(*expected.size);
  return std::make_unique<IncomingFile>(folder(expected.name), limits_.max_model_bytes);
}

ModelRef ModelStore::commit(std::unique_ptr<IncomingFile> file, const Expected& expected) const {
  std::string want = normalize_sha256(expected.sha256);
  if (expected.size && file->bytes() != *expected.size)
    throw FieldError("size", "received " + std::to_string(file->bytes()) + " bytes but 'size' says " +
                                 std::to_string(*expected.size) + " (transfer incomplete?)");
  std::string got = file->finish();
  if (got != want) throw FieldError("sha256", "sha256 of the received bytes is " + got + ", not the expected " + want);
  ModelRef ref;
  ref.name = expected.name;
  ref.sha256 = got;
  ref.format = detect_model_format(file->temp_path());
  ref.size_bytes = file->bytes();
  auto final_path = path_of(ref);
  if (fs::exists(final_path)) {
    // Same bytes already stored (same sha256): keep the existing file untouched; the temporary file is dropped.
    ref.stored_at_s = mtime_s(final_path);
    return ref;
  }
  file->commit(final_path);
  ref.stored_at_s = mtime_s(final_path);
  return ref;
}

void ModelStore::set_preprocess(ModelRef& ref, const std::string& convention) const {
  write_side(folder(ref.name) / (ref.sha256 + kPreprocessSuffix), convention);
  ref.preprocess = convention;
}

void ModelStore::set_weights(ModelRef& ref, const std::string& weights) const {
  write_side(folder(ref.name) / (ref.sha256 + kWeightsSuffix), weights);
  ref.weights = weights;
}

fs::path ModelStore::path_of(const ModelRef& ref) const { return folder(ref.name) / ref.file_name(); }

std::optional<ModelRef> ModelStore::find(const std::string& name, const std::string& sha256) const {
  validate_model_name(name, "name");
  std::string sha = normalize_sha256(sha256);
  for (const auto& r : list())
    if (r.name == name && r.sha256 == sha) return r;
  return std::nullopt;
}

std::vector<ModelRef> ModelStore::list() const {
  std::vector<ModelRef> out;
  std::error_code ec;
  for (const auto& dir : fs::directory_iterator(state_dir_ / "models", ec)) {
    if (!dir.is_directory()) continue;
    for (const auto& f : fs::directory_iterator(dir.path(), ec)) {
      if (!f.is_regular_file()) continue;
      auto stem = f.path().stem().string();
      auto ext = f.path().extension().string();
      if (!is_sha256_hex(stem) || ext.size() < 2) continue;  // skips temporary files
      ModelRef r;
      r.name = dir.path().filename().string();
      r.sha256 = stem;
      r.format = ext.substr(1);
      r.size_bytes = f.file_size();
      r.stored_at_s = mtime_s(f.path());
      std::error_code missing;
      if (auto side = dir.path() / (stem + kPreprocessSuffix); fs::exists(side, missing))
        r.preprocess = trim(read_file(side));
      if (auto side = dir.path() / (stem + kWeightsSuffix); fs::exists(side, missing))
        r.weights = trim(read_file(side));
      out.push_back(std::move(r));
    }
  }
  std::sort(out.begin(), out.end(), [](const ModelRef& a, const ModelRef& b) {
    if (a.name != b.name) return a.name < b.name;
    if (a.stored_at_s != b.stored_at_s) return a.stored_at_s > b.stored_at_s;
    return a.sha256 < b.sha256;
  });
  return out;
}

std::vector<ModelRef> ModelStore::prune(const std::string& name, const std::set<std::string>& keep_sha256) const {
  std::vector<ModelRef> versions;
  for (auto& r : list())
    if (r.name == name) versions.push_back(r);
  std::vector<ModelRef> removed;
  for (size_t i = 0; i < versions.size(); ++i) {  // newest first
    const auto& r = versions[i];
    if (i < limits_.keep_versions || keep_sha256.count(r.sha256)) continue;
    std::error_code ec;
    if (fs::remove(path_of(r), ec)) removed.push_back(r);
    fs::remove(folder(r.name) / (r.sha256 + kPreprocessSuffix), ec);
    fs::remove(folder(r.name) / (r.sha256 + kWeightsSuffix), ec);
  }
  return removed;
}

}  // namespace edgeml::agent
