#include "agent/model_fetcher.hpp"

#include <httplib.h>

#include <exception>

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

void fetch_model(const ParsedUrl& url, IncomingFile& into, const FetchOptions& options) {
  httplib::Client client(url.scheme + "://" + url.host_port);
  client.set_connection_timeout(options.connect_timeout_s, 0);
  client.set_read_timeout(options.read_timeout_s, 0);
  client.set_follow_location(false);
  client.set_keep_alive(false);

  int status = 0;
  std::optional<std::uint64_t> announced;
  std::exception_ptr write_error;  // an exception thrown inside the receiver must not cross cpp-httplib's frames
  auto on_response = [&](const httplib::Response& r) {
    status = r.status;
    if (r.has_header("Content-Length")) {
      if (auto n = parse_int(r.get_header_value("Content-Length")); n && *n >= 0)
        announced = static_cast<std::uint64_t>(*n);
    }
    return status == 200;
  };
  auto on_data = [&](const char* data, size_t len) {
    try {
      if (options.expected_size && into.bytes() + len > *options.expected_size)
        throw FieldError("size", "the server sent more than the " + std::to_string(*options.expected_size) +
                                     " bytes given in 'size'");
      into.write(data, len);
      if (options.on_progress)
        options.on_progress(into.bytes(), options.expected_size ? options.expected_size : announced);
      return true;
    } catch (...) {
      write_error = std::current_exception();
      return false;
    }
  };
  auto result = client.Get(url.path, on_response, on_data);
  if (write_error) std::rethrow_exception(write_error);
  if (status != 0 && status != 200)
    throw Error(ErrorKind::upstream_failed, "model download failed: " + url.scheme + "://" + url.host_port + url.path +
                                                " answered HTTP " + std::to_string(status));
  if (!result)
    throw Error(ErrorKind::upstream_failed, "model download failed after " + std::to_string(into.bytes()) +
                                                " bytes: " + httplib::to_string(result.error()));
  // A server that closes the connection early without chunked framing looks like a complete body to some clients:
  // compare with what it announced.
  if (announced && into.bytes() != *announced)
    throw Error(ErrorKind::upstream_failed, "model download cut short: received " + std::to_string(into.bytes()) +
                                                " of " + std::to_string(*announced) + " bytes");
}

}  // namespace edgeml::agent
