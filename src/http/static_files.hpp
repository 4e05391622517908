#pragma once
// Static files of a folder (the dashboard), for a server's fallback: GET /x serves <dir>/x, "/" serves index.html.
// Regular files only (no symbolic links out of the folder), no "..", a content type by extension. A path under
// /api/ is never a file: it answers 404 JSON like any unknown endpoint.
#include <filesystem>

#include "http/request.hpp"
#include "http/response.hpp"

namespace edgeml::http {

class StaticFiles {
 public:
  explicit StaticFiles(std::filesystem::path dir);
  // Fills res (200 with a file body) or throws NotFoundError.
  void serve(const Request& req, Response& res) const;

 private:
  std::filesystem::path dir_;
};

std::string content_type_for(const std::filesystem::path& file);

}  // namespace edgeml::http
