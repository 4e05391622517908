#include "http/multipart.hpp"

#include "common/error.hpp"
#include "common/strings.hpp"
#include "http/headers.hpp"

namespace edgeml::http {

namespace {
constexpr size_t kMaxHeaderBlock = 8 << 10;
constexpr size_t kMaxParts = 64;
constexpr size_t kMaxPreamble = 64 << 10;

[[noreturn]] void malformed(const std::string& why) { throw FieldError("body", "malformed multipart body: " + why); }

// The value of `key` in a header parameter list: form-data; name="file"; filename="m.onnx"
std::string param(std::string_view header, std::string_view key) {
  size_t pos = 0;
  while ((pos = header.find(';', pos)) != std::string_view::npos) {
    ++pos;
    while (pos < header.size() && header[pos] == ' ') ++pos;
    if (header.substr(pos, key.size()) != key || pos + key.size() >= header.size() || header[pos + key.size()] != '=')
      continue;
    size_t v = pos + key.size() + 1;
    if (v < header.size() && header[v] == '"') {
      size_t end = header.find('"', v + 1);
      if (end == std::string_view::npos) malformed("unterminated quoted " + std::string(key));
      return std::string(header.substr(v + 1, end - v - 1));
    }
    size_t end = header.find(';', v);
    return std::string(trim(header.substr(v, end == std::string_view::npos ? std::string_view::npos : end - v)));
  }
  return "";
}
}  // namespace

std::optional<std::string> MultipartParser::boundary_of(const std::string& content_type) {
  std::string lower = to_lower(content_type);
  if (lower.rfind("multipart/form-data", 0) != 0) return std::nullopt;
  auto pos = lower.find("boundary=");
  if (pos == std::string::npos) return std::nullopt;
  std::string b = content_type.substr(pos + 9);
  auto semi = b.find(';');
  if (semi != std::string::npos) b = b.substr(0, semi);
  b = std::string(trim(b));
  if (b.size() >= 2 && b.front() == '"' && b.back() == '"') b = b.substr(1, b.size() - 2);
  if (b.empty() || b.size() > 70) return std::nullopt;
  return b;
}

MultipartParser::MultipartParser(std::string boundary, MultipartCallbacks callbacks)
    : delimiter_("\r\n--" + boundary), cb_(std::move(callbacks)) {
  // The first boundary may open the body without the CRLF before it.
  buf_ = "\r\n";
}

void MultipartParser::parse_headers(const std::string& block) {
  MultipartPart part;
  size_t start = 0;
  while (start < block.size()) {
    size_t end = block.find("\r\n", start);
    if (end == std::string::npos) end = block.size();
    std::string_view line(block.data() + start, end - start);
    start = end + 2;
    if (line.empty()) continue;
    auto colon = line.find(':');
    if (colon == std::string_view::npos) malformed("a part header without ':'");
    auto name = trim(line.substr(0, colon));
    auto value = trim(line.substr(colon + 1));
    if (iequals(name, "Content-Disposition")) {
      part.name = param(value, "name");
      part.filename = param(value, "filename");
    } else if (iequals(name, "Content-Type")) {
      part.content_type = std::string(value);
    }
  }
  if (part.name.empty()) malformed("a part without a name in its Content-Disposition");
  if (++parts_ > kMaxParts) malformed("more than " + std::to_string(kMaxParts) + " parts");
  if (cb_.begin) cb_.begin(part);
}

void MultipartParser::feed(const char* data, size_t size) {
  if (state_ == State::done) return;  // the epilogue is ignored
  buf_.append(data, size);
  for (;;) {
    switch (state_) {
      case State::preamble: {
        auto pos = buf_.find(delimiter_);
        if (pos == std::string::npos) {
          size_t keep = std::min(buf_.size(), delimiter_.size());
          preamble_seen_ += buf_.size() - keep;
          if (preamble_seen_ > kMaxPreamble) malformed("no boundary in the first 64 KiB");
          buf_.erase(0, buf_.size() - keep);
          return;
        }
        buf_.erase(0, pos + delimiter_.size());
        state_ = State::after_boundary;
        break;
      }
      case State::after_boundary: {
        if (buf_.size() < 2) return;
        if (buf_.compare(0, 2, "--") == 0) {
          state_ = State::done;
          buf_.clear();
          return;
        }
        if (buf_.compare(0, 2, "\r\n") != 0) malformed("a boundary not followed by CRLF");
        buf_.erase(0, 2);
        state_ = State::headers;
        break;
      }
      case State::headers: {
        auto pos = buf_.find("\r\n\r\n");
        if (pos == std::string::npos) {
          if (buf_.size() > kMaxHeaderBlock) malformed("part headers longer than 8 KiB");
          return;
        }
        if (pos > kMaxHeaderBlock) malformed("part headers longer than 8 KiB");
        parse_headers(buf_.substr(0, pos));
        buf_.erase(0, pos + 4);
        state_ = State::data;
        break;
      }
      case State::data: {
        auto pos = buf_.find(delimiter_);
        if (pos == std::string::npos) {
          // Everything but what could be the start of a delimiter is part data.
          if (buf_.size() > delimiter_.size()) {
            size_t n = buf_.size() - delimiter_.size();
            if (cb_.data) cb_.data(buf_.data(), n);
            buf_.erase(0, n);
          }
          return;
        }
        if (pos > 0 && cb_.data) cb_.data(buf_.data(), pos);
        if (cb_.end) cb_.end();
        buf_.erase(0, pos + delimiter_.size());
        state_ = State::after_boundary;
        break;
      }
      case State::done:
        return;
    }
  }
}

void MultipartParser::finish() {
  if (state_ != State::done) malformed("the body ended before the closing boundary");
}

}  // namespace edgeml::http
