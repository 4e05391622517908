#pragma once
// A streaming multipart/form-data parser (RFC 7578): fed the body chunk by chunk as it arrives, it calls back for each
// part, so a model upload of hundreds of MB goes straight to disk. Bounded: part headers up to 8 KiB, at most 64
// parts, a preamble up to 64 KiB. Malformed input is a FieldError("body") naming what is wrong.
#include <functional>
#include <optional>
#include <string>

namespace edgeml::http {

struct MultipartPart {
  std::string name;          // form field name
  std::string filename;      // empty for a plain field
  std::string content_type;  // of the part, when given
};

struct MultipartCallbacks {
  std::function<void(const MultipartPart&)> begin;
  std::function<void(const char* data, size_t size)> data;
  std::function<void()> end;
};

class MultipartParser {
 public:
  MultipartParser(std::string boundary, MultipartCallbacks callbacks);
  void feed(const char* data, size_t size);
  // Throws FieldError("body") unless the closing boundary was seen.
  void finish();
  bool done() const { return state_ == State::done; }

  // The boundary of a "multipart/form-data; boundary=..." Content-Type; nullopt when it is not one.
  static std::optional<std::string> boundary_of(const std::string& content_type);

 private:
  enum class State { preamble, after_boundary, headers, data, done };
  void parse_headers(const std::string& block);
  std::string delimiter_;  // "\r\n--" + boundary
  MultipartCallbacks cb_;
  State state_ = State::preamble;
  std::string buf_;
  size_t parts_ = 0;
  size_t preamble_seen_ = 0;
};

}  // namespace edgeml::http
