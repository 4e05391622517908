#include "agent/model_fetcher.hpp"

#include <chrono>
#include <exception>
#include <thread>

#include "common/error.hpp"
#include "common/strings.hpp"

namespace edgeml::agent {

ParsedUrl parse_model_url(const std::string& url, const std::string& field) {
  ParsedUrl u;
  auto sep = url.find("://");
  if (sep == std::string::npos) throw FieldError(field, "'" + field + "' must start with http:// or https://");
  u.scheme = to_lower(url.substr(0, sep));
  if (u.scheme != "http" && u.scheme != "https")
    throw FieldError(field, "'" + field + "' must use http or https, not '" + u.scheme + "'");
  auto rest = url.substr(sep + 3);
  auto slash = rest.find('/');
  u.host_port = rest.substr(0, slash);
  u.path = slash == std::string::npos ? "/" : rest.substr(slash);
  if (u.host_port.empty()) throw FieldError(field, "'" + field + "' has no host");
  if (u.host_port.find('@') != std::string::npos) throw FieldError(field, "'" + field + "' must not carry credentials");
  for (char c : url)
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f)
      throw FieldError(field, "'" + field + "' must not contain spaces or control characters");
  return u;
}

void fetch_model(const ParsedUrl& url, IncomingFile& into, const FetchOptions& options, std::uint64_t* resumed_bytes) {
  http::Client client(options.tls);
  const std::string full = url.scheme + "://" + url.host_port + url.path;
  const std::string shown = url.scheme + "://" + url.host_port + url.path.substr(0, url.path.find('?'));
  double backoff = options.backoff_s;
  for (int attempt = 1;; ++attempt) {
    const std::uint64_t from = into.bytes();
    std::exception_ptr write_error;
    http::ClientRequest r;
    r.url = full;
    r.timeout_s = 0;  // a large model may take long; a stalled one is caught by the stall limit
    r.connect_timeout_s = options.connect_timeout_s;
    r.stall_timeout_s = options.read_timeout_s;
    r.resume_from = from;
    r.on_body = [&](int status, const char* data, size_t len) {
      if (status != 200 && status != 206) return true;  // an error page: read, not stored
      try {
        if (status == 200 && from > 0 && into.bytes() == from) into.restart();  // the Range was ignored
        if (options.expected_size && into.bytes() + len > *options.expected_size)
          throw FieldError("size", "the server sent more than the " + std::to_string(*options.expected_size) +
                                       " bytes given in 'size'");
        into.write(data, len);
        if (options.on_progress) options.on_progress(into.bytes(), options.expected_size);
        return true;
      } catch (...) {
        write_error = std::current_exception();
        return false;
      }
    };
    std::string cut;
    http::ClientResponse answer;
    try {
      answer = client.send(r);
    } catch (const Error& e) {
      if (write_error) std::rethrow_exception(write_error);
      if (e.kind() != ErrorKind::upstream_failed && e.kind() != ErrorKind::upstream_timeout) throw;
      cut = e.what();
    }
    if (write_error) std::rethrow_exception(write_error);
    if (cut.empty()) {
      if (answer.status == 416 && from > 0) {
        into.restart();  // what we have no longer matches the file there: start over
        cut = "the server refused to resume";
      } else if (answer.status != 200 && answer.status != 206) {
        throw Error(ErrorKind::upstream_failed,
                    "model download failed: " + shown + " answered HTTP " + std::to_string(answer.status));
      } else {
        // The whole size: what we were told, else what the server says (Content-Range total, or the length of a
        // full answer). A connection closed early without chunked framing looks complete: compare.
        std::optional<std::uint64_t> total = options.expected_size;
        if (!total) {
          std::string range = answer.headers.get("Content-Range");
          auto slash = range.rfind('/');
          if (answer.status == 206 && slash != std::string::npos) {
            if (auto n = parse_int(range.substr(slash + 1)); n && *n >= 0) total = static_cast<std::uint64_t>(*n);
          } else if (auto n = parse_int(answer.headers.get("Content-Length")); n && *n >= 0) {
            total = static_cast<std::uint64_t>(*n) + (answer.status == 206 ? from : 0);
          }
        }
        if (!total || into.bytes() == *total) return;
        if (into.bytes() > *total)
          throw Error(ErrorKind::upstream_failed, "model download: received more bytes than the server announced");
        cut = "cut short: received " + std::to_string(into.bytes()) + " of " + std::to_string(*total) + " bytes";
      }
    }
    if (attempt >= options.attempts)
      throw Error(ErrorKind::upstream_failed, "model download failed after " + std::to_string(into.bytes()) +
                                                  " bytes and " + std::to_string(attempt) + " attempts: " + cut);
    if (resumed_bytes) *resumed_bytes = into.bytes();
    std::this_thread::sleep_for(std::chrono::duration<double>(backoff));
    backoff *= 2;
  }
}

}  // namespace edgeml::agent
