// The artifact store over HTTP: GET /models/<file> (what agents pull: Range, ETag = sha256, Content-Length),
// GET /api/artifacts, POST /api/models/upload (multipart), POST /api/models/analyze (multipart .onnx -> inspector
// JSON + the static predictor's energy for a device_type).
#include <fstream>
#include <memory>

#include "common/error.hpp"
#include "common/names.hpp"
#include "common/strings.hpp"
#include "controller/app.hpp"
#include "controller/device_lookup.hpp"
#include "controller/energy_gate.hpp"
#include "http/replies.hpp"
#include "onnx/inspector.hpp"

namespace edgeml::controller {

namespace {

// cpp-httplib decodes the path before matching, so look at the raw request target for encoded separators and dots.
void reject_encoded_tricks(const httplib::Request& req) {
  std::string raw = to_lower(req.target);
  for (const char* bad : {"%2e", "%2f", "%5c", "%00"})
    if (raw.find(bad) != std::string::npos)
      throw FieldError("file",
                       std::string("file names must not contain percent-encoded '.', '/', '\\' or NUL (") + bad + ")");
}

const httplib::MultipartFormData& require_file(const httplib::Request& req) {
  if (!req.is_multipart_form_data()) throw FieldError("file", "send the model as multipart/form-data field 'file'");
  if (!req.has_file("file")) throw FieldError("file", "missing multipart field 'file'");
  const auto& f = req.files.find("file")->second;
  if (f.content.empty()) throw FieldError("file", "the uploaded file is empty");
  return f;
}

std::string form_value(const httplib::Request& req, const std::string& name) {
  auto it = req.files.find(name);
  return it == req.files.end() ? "" : std::string(trim(it->second.content));
}

std::string stem(const std::string& filename) {
  auto slash = filename.find_last_of("/\\");
  std::string base = slash == std::string::npos ? filename : filename.substr(slash + 1);
  auto dot = base.find('.');
  return dot == std::string::npos ? base : base.substr(0, dot);
}

}  // namespace

void register_artifact_routes(ControllerApp& app, http::Router& router) {
  router.get(R"(/models/(.*))", [&app](const httplib::Request& req, httplib::Response& res) {
    reject_encoded_tricks(req);
    std::string file = req.matches[1];
    ArtifactStore::validate_file_name(file, "file");
    auto a = app.artifacts().find(file);
    if (!a) throw NotFoundError("no artifact named '" + file + "' in the store", "file");
    std::string etag = "\"" + a->sha256 + "\"";
    res.set_header("ETag", etag);
    res.set_header("X-Content-SHA256", a->sha256);
    res.set_header("X-Model-Format", a->format);
    res.set_header("Accept-Ranges", "bytes");
    res.set_header("Content-Disposition", "attachment; filename=\"" + a->file + "\"");
    if (req.get_header_value("If-None-Match") == etag) {
      res.status = 304;
      return;
    }
    auto path = app.artifacts().path_of(file);
    auto in = std::make_shared<std::ifstream>(path, std::ios::binary);
    if (!*in) throw NotFoundError("artifact '" + file + "' could not be opened", "file");
    // cpp-httplib answers Range requests from a sized content provider (206 with Content-Range, 416 when outside).
    res.set_content_provider(a->size, "application/octet-stream",
                             [in](size_t offset, size_t length, httplib::DataSink& sink) {
                               std::vector<char> buf(std::min<size_t>(length, 1 << 20));
                               in->clear();
                               in->seekg(static_cast<std::streamoff>(offset));
                               size_t left = length;
                               while (left > 0) {
                                 size_t n = std::min(left, buf.size());
                                 in->read(buf.data(), static_cast<std::streamsize>(n));
                                 auto got = static_cast<size_t>(in->gcount());
                                 if (got == 0 || !sink.write(buf.data(), got)) return false;
                                 left -= got;
                               }
                               return true;
                             });
  });

  router.get("/api/artifacts", [&app](const httplib::Request&, httplib::Response& res) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& a : app.artifacts().list()) list.push_back(to_json(a));
    http::reply_json(res, {{"success", true}, {"count", list.size()}, {"artifacts", list}});
  });

  router.post("/api/models/upload", [&app](const httplib::Request& req, httplib::Response& res) {
    const auto& f = require_file(req);
    std::string name = form_value(req, "model_name");
    if (name.empty()) name = stem(f.filename);
    if (name.empty()) throw FieldError("model_name", "model_name is required when the file has no name");
    validate_name(name, "model_name");
    onnx::InspectResult inspected;
    try {
      inspected = onnx::inspect_bytes(f.content);
    } catch (const std::exception& e) {
      throw FieldError("file", std::string("not a readable model file: ") + e.what());
    }
    if (inspected.format == "unknown")
      throw FieldError("file", "unrecognised model format (expected ONNX, TFLite or a PyTorch archive)");
    auto a = app.artifacts().put_model(name, f.content);
    auto j = to_json(a);
    j["success"] = true;
    j["model_name"] = name;
    j["path"] = app.artifacts().path_of(a.file).string();
    j["inspection"] = onnx::inspect_to_json(inspected);
    http::reply_json(res, j, 201);
  });

  router.post("/api/models/analyze", [&app](const httplib::Request& req, httplib::Response& res) {
    const auto& f = require_file(req);
    std::string device = app.resolve_device(form_value(req, "device_type"));
    onnx::InspectResult inspected;
    try {
      inspected = onnx::inspect_bytes(f.content);
    } catch (const std::exception& e) {
      throw FieldError("file", std::string("cannot analyze this file: ") + e.what());
    }
    if (inspected.format == "unknown")
      throw FieldError("file", "unrecognised model format (expected ONNX, TFLite or a PyTorch archive)");
    auto j = onnx::inspect_to_json(inspected);
    j["success"] = true;
    j["file_name"] = f.filename;
    j["device_type"] = device;
    auto e = predicted_energy(app.predictors(), inspected, device);
    j["predicted_energy"] = e.to_json();
    j["predicted_energy_mwh"] = e.mwh ? nlohmann::json(*e.mwh) : nlohmann::json();
    http::reply_json(res, j);
  });
}

}  // namespace edgeml::controller
