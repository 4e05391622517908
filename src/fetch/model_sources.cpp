#include "fetch/model_sources.hpp"

#include "common/error.hpp"
#include "http/request.hpp"

namespace edgeml::fetch {

std::string ModelSource::url_for(const std::string& model_name) const {
  std::string url = url_template;
  const std::string key = "{name}";
  for (auto pos = url.find(key); pos != std::string::npos; pos = url.find(key, pos)) {
    std::string encoded = http::percent_encode(model_name);
    url.replace(pos, key.size(), encoded);
    pos += encoded.size();
  }
  return url;
}

ModelSource parse_model_source(const std::string& spec, const std::string& field) {
  auto eq = spec.find('=');
  if (eq == std::string::npos || eq == 0)
    throw FieldError(field, field + " must be NAME=URL_TEMPLATE, e.g. hub=http://host/models/{name}.onnx");
  ModelSource s{spec.substr(0, eq), spec.substr(eq + 1)};
  if (s.url_template.rfind("http://", 0) != 0 && s.url_template.rfind("https://", 0) != 0)
    throw FieldError(field, field + " '" + s.name + "': the template must be an http:// or https:// URL");
  if (s.url_template.find("{name}") == std::string::npos)
    throw FieldError(field, field + " '" + s.name + "': the template must contain {name}");
  return s;
}

std::optional<SourcedFile> fetch_from_sources(const std::vector<ModelSource>& sources, const std::string& model_name,
                                              const std::filesystem::path& dest, const DownloadOptions& options,
                                              std::vector<std::string>* errors) {
  for (const auto& s : sources) {
    std::string url = s.url_for(model_name);
    try {
      auto d = download_file(url, dest, options);
      return SourcedFile{s.name, url, d};
    } catch (const DownloadError& e) {
      if (e.kind() != DownloadError::Kind::not_found && errors) errors->push_back(s.name + ": " + e.what());
    }
  }
  return std::nullopt;
}

}  // namespace edgeml::fetch
