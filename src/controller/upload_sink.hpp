#pragma once
// A multipart/form-data model upload, taken in as it arrives: the "file" part is written to a scratch file in the
// artifact store's folder (never held in memory), hashed on the way, and the small text fields are kept. The route
// then inspects the file and moves it into the store, or drops it. The scratch file is removed unless adopted.
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include "common/sha256.hpp"
#include "http/multipart.hpp"
#include "http/request.hpp"

namespace edgeml::controller {

class UploadSink : public http::BodySink {
 public:
  // Throws FieldError("Content-Type") unless the request is multipart/form-data with a boundary.
  UploadSink(const http::Request& req, std::filesystem::path scratch);
  ~UploadSink() override;
  void write(const char* data, size_t size) override;

  // After the body: throws FieldError("file") when there was no non-empty "file" part, FieldError("body") when the
  // body was cut or malformed.
  void finish();
  const std::filesystem::path& file_path() const { return scratch_; }
  const std::string& file_name() const { return file_name_; }  // as the client named it
  std::uint64_t file_bytes() const { return file_bytes_; }
  const std::string& sha256() const { return sha256_; }
  std::string field(const std::string& name) const;  // trimmed; "" when absent
  // The route took the file (renamed it away): do not delete it.
  void release_file() { keep_ = true; }

 private:
  std::filesystem::path scratch_;
  http::MultipartParser parser_;
  std::FILE* out_ = nullptr;
  Sha256 hash_;
  std::string sha256_;
  std::string file_name_;
  std::uint64_t file_bytes_ = 0;
  bool in_file_ = false;
  bool saw_file_ = false;
  bool keep_ = false;
  std::string current_field_;
  std::map<std::string, std::string> fields_;
};

}  // namespace edgeml::controller
