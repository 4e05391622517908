#include "controller/upload_sink.hpp"

#include <cerrno>
#include <cstring>

#include "common/error.hpp"
#include "common/strings.hpp"

namespace edgeml::controller {

namespace {
constexpr size_t kMaxFieldBytes = 4096;

http::MultipartParser make_parser(const http::Request& req, http::MultipartCallbacks cb) {
  auto boundary = http::MultipartParser::boundary_of(req.header("Content-Type"));
  if (!boundary) throw FieldError("Content-Type", "send the model as multipart/form-data with a field named 'file'");
  return http::MultipartParser(*boundary, std::move(cb));
}
}  // namespace

UploadSink::UploadSink(const http::Request& req, std::filesystem::path scratch)
    : scratch_(std::move(scratch)),
      parser_(make_parser(
          req, {[this](const http::MultipartPart& part) {
                  if (part.name == "file") {
                    if (saw_file_) throw FieldError("file", "more than one 'file' part");
                    saw_file_ = true;
                    in_file_ = true;
                    file_name_ = part.filename;
                    out_ = std::fopen(scratch_.c_str(), "wb");
                    if (!out_) throw Error(ErrorKind::internal, "cannot write " + scratch_.filename().string());
                  } else {
                    current_field_ = part.name;
                    fields_[part.name].clear();
                  }
                },
                [this](const char* data, size_t size) {
                  if (in_file_) {
                    if (std::fwrite(data, 1, size, out_) != size)
                      throw Error(errno == ENOSPC ? ErrorKind::insufficient_storage : ErrorKind::internal,
                                  "could not store the upload: " + std::string(std::strerror(errno)), "file");
                    hash_.update(data, size);
                    file_bytes_ += size;
                    return;
                  }
                  auto& value = fields_[current_field_];
                  if (value.size() + size > kMaxFieldBytes)
                    throw FieldError(current_field_, current_field_ + " is longer than 4096 bytes");
                  value.append(data, size);
                },
                [this] {
                  if (in_file_) {
                    in_file_ = false;
                    if (std::fflush(out_) != 0 || std::fclose(out_) != 0) {
                      out_ = nullptr;
                      throw Error(ErrorKind::insufficient_storage, "could not store the upload", "file");
                    }
                    out_ = nullptr;
                    sha256_ = hash_.hex_digest();
                  }
                }})) {}

UploadSink::~UploadSink() {
  if (out_) std::fclose(out_);
  if (!keep_) {
    std::error_code ec;
    std::filesystem::remove(scratch_, ec);
  }
}

void UploadSink::write(const char* data, size_t size) { parser_.feed(data, size); }

void UploadSink::finish() {
  parser_.finish();
  if (!saw_file_) throw FieldError("file", "missing multipart field 'file'");
  if (file_bytes_ == 0) throw FieldError("file", "the uploaded file is empty");
}

std::string UploadSink::field(const std::string& name) const {
  auto it = fields_.find(name);
  return it == fields_.end() ? "" : std::string(trim(it->second));
}

}  // namespace edgeml::controller
