#pragma once
// Where models come from when the store does not have them: a list of named URL templates tried in order, e.g.
//   hub=https://models.example.org/{name}.onnx
// "{name}" is replaced by the (URL-encoded) model name. A source answering 404 means "not here": the next one is tried.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "fetch/downloader.hpp"

namespace edgeml::fetch {

struct ModelSource {
  std::string name;
  std::string url_template;
  std::string url_for(const std::string& model_name) const;
};

// "NAME=TEMPLATE"; throws FieldError(field) when the template is not http(s) or lacks "{name}".
ModelSource parse_model_source(const std::string& spec, const std::string& field = "--model-source");

struct SourcedFile {
  std::string source;  // the source's name
  std::string url;
  DownloadResult download;
};

// Tries each source in order; nullopt when every source answered 404 (or there are none). Other failures
// (checksum, network after retries) are recorded in `errors` and the next source is tried.
std::optional<SourcedFile> fetch_from_sources(const std::vector<ModelSource>& sources, const std::string& model_name,
                                              const std::filesystem::path& dest, const DownloadOptions& options,
                                              std::vector<std::string>* errors = nullptr);

}  // namespace edgeml::fetch
