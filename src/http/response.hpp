#pragma once
// One HTTP answer as the routes build it: a body in memory, a slice of a file (sent in chunks, never loaded), or a
// stream that producers feed over time (server-sent events).
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "http/headers.hpp"

namespace edgeml::http {

class StreamChannel;

struct FileBody {
  std::filesystem::path path;
  std::uint64_t offset = 0;
  std::uint64_t length = 0;
};

struct Response {
  int status = 200;
  Headers headers;
  std::string body;
  std::optional<FileBody> file;
  std::shared_ptr<StreamChannel> stream;
  bool close_connection = false;  // e.g. after refusing a body that was not read

  void set_content(std::string content, const std::string& content_type) {
    body = std::move(content);
    headers.set("Content-Type", content_type);
  }
  void set_header(std::string name, std::string value) { headers.set(std::move(name), std::move(value)); }
};

}  // namespace edgeml::http
