#include "http/static_files.hpp"

#include <map>

#include "common/error.hpp"

namespace edgeml::http {

namespace fs = std::filesystem;

std::string content_type_for(const fs::path& file) {
  static const std::map<std::string, std::string> types{{".html", "text/html; charset=utf-8"},
                                                        {".js", "text/javascript; charset=utf-8"},
                                                        {".mjs", "text/javascript; charset=utf-8"},
                                                        {".css", "text/css; charset=utf-8"},
                                                        {".json", "application/json"},
                                                        {".webmanifest", "application/manifest+json"},
                                                        {".svg", "image/svg+xml"},
                                                        {".png", "image/png"},
                                                        {".ico", "image/x-icon"},
                                                        {".txt", "text/plain; charset=utf-8"},
                                                        {".map", "application/json"},
                                                        {".woff2", "font/woff2"}};
  auto it = types.find(file.extension().string());
  return it == types.end() ? "application/octet-stream" : it->second;
}

StaticFiles::StaticFiles(fs::path dir) : dir_(std::move(dir)) {}

void StaticFiles::serve(const Request& req, Response& res) const {
  const std::string& p = req.path;
  if (p.rfind("/api/", 0) == 0 || p.find("..") != std::string::npos || p.find('\\') != std::string::npos)
    throw NotFoundError("no such endpoint: " + req.method + " " + p);
  fs::path file = dir_ / (p == "/" ? "index.html" : p.substr(1));
  std::error_code ec;
  // Every component must be a real directory or file: no link may lead outside the folder.
  fs::path walk = dir_;
  for (const auto& part : fs::path(p == "/" ? "index.html" : p.substr(1))) {
    walk /= part;
    auto type = fs::symlink_status(walk, ec).type();
    if (type == fs::file_type::symlink || ec) throw NotFoundError("no such file: " + p);
  }
  if (fs::symlink_status(file, ec).type() != fs::file_type::regular) throw NotFoundError("no such file: " + p);
  auto size = fs::file_size(file, ec);
  if (ec) throw NotFoundError("no such file: " + p);
  res.status = 200;
  res.set_header("Content-Type", content_type_for(file));
  res.set_header("Cache-Control", "no-cache");
  res.set_header("X-Content-Type-Options", "nosniff");
  res.file = FileBody{file, 0, size};
}

}  // namespace edgeml::http
