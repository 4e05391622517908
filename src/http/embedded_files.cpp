#include "http/embedded_files.hpp"

#include <string_view>

#include "common/error.hpp"
#include "common/sha256.hpp"
#include "http/static_files.hpp"

namespace edgeml::http {

EmbeddedFiles::EmbeddedFiles(std::span<const EmbeddedFile> files) {
  for (const auto& f : files) {
    std::string_view bytes(reinterpret_cast<const char*>(f.data), f.size);
    files_[f.path] = {&f, "\"" + sha256_hex(bytes) + "\""};
  }
}

void EmbeddedFiles::serve(const Request& req, Response& res) const {
  const std::string& p = req.path;
  if (p.rfind("/api/", 0) == 0) throw NotFoundError("no such endpoint: " + req.method + " " + p);
  auto it = files_.find(p == "/" ? "/index.html" : p);
  if (it == files_.end()) throw NotFoundError("no such file: " + p);
  const auto& f = it->second;
  res.set_header("ETag", f.etag);
  res.set_header("Cache-Control", "no-cache");  // revalidate each time: a new controller brings a new page
  res.set_header("X-Content-Type-Options", "nosniff");
  if (req.header("If-None-Match") == f.etag) {
    res.status = 304;
    return;
  }
  res.status = 200;
  res.set_content(std::string(reinterpret_cast<const char*>(f.file->data), f.file->size),
                  content_type_for(f.file->path));
}

}  // namespace edgeml::http
