#pragma once
// Files compiled into the binary (the dashboard, see cmake/EmbedWeb.cmake), served like StaticFiles serves a folder:
// "/" is index.html, a path under /api/ is never a file (404 JSON like any unknown endpoint), a content type by
// extension. Each answer carries an ETag (the file's sha256) so a browser or the page's service worker revalidates
// with If-None-Match and gets 304 without the body.
#include <map>
#include <span>
#include <string>

#include "http/request.hpp"
#include "http/response.hpp"

namespace edgeml::http {

struct EmbeddedFile {
  const char* path;  // "/index.html", "/src/main.js"
  const unsigned char* data;
  size_t size;
};

class EmbeddedFiles {
 public:
  explicit EmbeddedFiles(std::span<const EmbeddedFile> files);
  bool empty() const { return files_.empty(); }
  bool has(const std::string& path) const { return files_.count(path) > 0; }
  // Fills res (200 or 304) or throws NotFoundError.
  void serve(const Request& req, Response& res) const;

 private:
  struct File {
    const EmbeddedFile* file;
    std::string etag;
  };
  std::map<std::string, File> files_;
};

}  // namespace edgeml::http
