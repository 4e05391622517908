// The artifact store over HTTP: GET /models/<file> (what agents pull: Range, ETag = sha256, Content-Length),
// GET /api/artifacts, POST /api/models/upload (multipart, streamed to disk), POST /api/models/analyze (multipart model
// file -> inspector JSON + the static predictor's energy for a device_type).
#include <unistd.h>

#include <atomic>
#include <memory>

#include "common/error.hpp"
#include "common/names.hpp"
#include "common/strings.hpp"
#include "controller/app.hpp"
#include "controller/device_lookup.hpp"
#include "controller/energy_gate.hpp"
#include "controller/upload_sink.hpp"
#include "http/byte_range.hpp"
#include "http/replies.hpp"
#include "onnx/inspector.hpp"

namespace edgeml::controller {

namespace {

// The path is decoded before matching, so look at the raw request target for encoded separators and dots.
void reject_encoded_tricks(const http::Request& req) {
  std::string raw = to_lower(req.raw_path);
  for (const char* bad : {"%2e", "%2f", "%5c", "%00"})
    if (raw.find(bad) != std::string::npos)
      throw FieldError("file",
                       std::string("file names must not contain percent-encoded '.', '/', '\\' or NUL (") + bad + ")");
}

std::string stem(const std::string& filename) {
  auto slash = filename.find_last_of("/\\");
  std::string base = slash == std::string::npos ? filename : filename.substr(slash + 1);
  auto dot = base.find('.');
  return dot == std::string::npos ? base : base.substr(0, dot);
}

// Uploads land in a scratch file of their own in the store's folder (same file system: adopting is a rename).
http::SinkFactory upload_sink(ControllerApp& app) {
  return [&app](http::Request& req) -> std::unique_ptr<http::BodySink> {
    static std::atomic<unsigned long long> counter{0};
    auto scratch = app.artifacts().dir() / (".upload-" + std::to_string(::getpid()) + "-" + std::to_string(++counter));
    return std::make_unique<UploadSink>(req, scratch);
  };
}

UploadSink& finished_upload(http::Request& req) {
  auto& sink = static_cast<UploadSink&>(*req.sink);
  sink.finish();
  return sink;
}

onnx::InspectResult inspect_upload(const UploadSink& up, const std::string& what) {
  onnx::InspectResult inspected;
  try {
    inspected = onnx::inspect_file(up.file_path());
  } catch (const std::exception& e) {
    throw FieldError("file", what + " '" + up.file_name() + "': " + e.what());
  }
  if (inspected.format == "unknown")
    throw FieldError("file", "'" + up.file_name() +
                                 "' is not a model format we know (expected ONNX, TFLite or a "
                                 "PyTorch archive)");
  return inspected;
}

// A file the runtimes would refuse (TFLite operators this build cannot translate, a PyTorch state dict): 422 naming
// the operators, with the inspection beside it, so nothing is stored that no agent could run.
void refuse_unrunnable(const UploadSink& up, const onnx::InspectResult& inspected) {
  if (inspected.refusal.empty()) return;
  std::string ops;
  for (const auto& [op, count] : inspected.unsupported_ops)
    ops += (ops.empty() ? "" : ", ") + op + " (x" + std::to_string(count) + ")";
  throw Error(ErrorKind::unprocessable,
              "'" + up.file_name() + "' cannot run on the agents" +
                  (ops.empty() ? "" : ": unsupported operators " + ops) + " (" + inspected.refusal + ")",
              "file",
              {{"unsupported_ops", inspected.unsupported_ops}, {"inspection", onnx::inspect_to_json(inspected)}});
}

}  // namespace

void register_artifact_routes(ControllerApp& app, http::Router& router) {
  router.add({.method = "GET", .pattern = "/models/*file", .role = http::Role::device},
             [&app](http::Request& req, http::Response& res) {
               reject_encoded_tricks(req);
               const std::string& file = req.param("file");
               ArtifactStore::validate_file_name(file, "file");
               auto a = app.artifacts().find(file);
               if (!a) throw NotFoundError("no artifact named '" + file + "' in the store", "file");
               std::string etag = "\"" + a->sha256 + "\"";
               res.set_header("ETag", etag);
               res.set_header("X-Content-SHA256", a->sha256);
               res.set_header("X-Model-Format", a->format);
               res.set_header("Accept-Ranges", "bytes");
               res.set_header("Content-Disposition", "attachment; filename=\"" + a->file + "\"");
               if (req.header("If-None-Match") == etag) {
                 res.status = 304;
                 return;
               }
               res.set_header("Content-Type", "application/octet-stream");
               http::FileBody body{app.artifacts().path_of(file), 0, a->size};
               if (auto range = req.headers.find("Range")) {
                 std::optional<http::ByteSlice> slice;
                 try {
                   slice = http::parse_byte_range(*range, a->size);
                 } catch (const Error&) {  // 416, telling the client the file's size
                   res.set_header("Content-Range", "bytes */" + std::to_string(a->size));
                   throw;
                 }
                 if (slice) {
                   res.status = 206;
                   body.offset = slice->first;
                   body.length = slice->last - slice->first + 1;
                   res.set_header("Content-Range", "bytes " + std::to_string(slice->first) + "-" +
                                                       std::to_string(slice->last) + "/" + std::to_string(a->size));
                 }
               }
               res.file = body;
             });

  router.add({.method = "GET", .pattern = "/api/artifacts", .role = http::Role::viewer},
             [&app](http::Request&, http::Response& res) {
               nlohmann::json list = nlohmann::json::array();
               for (const auto& a : app.artifacts().list()) list.push_back(to_json(a));
               http::reply_json(res, {{"success", true}, {"count", list.size()}, {"artifacts", list}});
             });

  router.add({.method = "POST",
              .pattern = "/api/models/upload",
              .role = http::Role::operator_,
              .body = http::Body::stream,
              .max_body_bytes = app.max_upload_bytes(),
              .mutates = true,
              .open_sink = upload_sink(app)},
             [&app](http::Request& req, http::Response& res) {
               auto& up = finished_upload(req);
               std::string name = up.field("model_name");
               if (name.empty()) name = stem(up.file_name());
               if (name.empty()) throw FieldError("model_name", "model_name is required when the file has no name");
               validate_name(name, "model_name");
               auto inspected = inspect_upload(up, "not a readable model file");
               refuse_unrunnable(up, inspected);
               auto a = app.artifacts().adopt_model(name, up.file_path());
               up.release_file();
               auto j = to_json(a);
               j["success"] = true;
               j["model_name"] = name;
               j["path"] = app.artifacts().path_of(a.file).string();
               j["inspection"] = onnx::inspect_to_json(inspected);
               j.update(app.availability().of(name).to_json());  // deployable, weights
               http::reply_json(res, j, 201);
             });

  router.add({.method = "POST",
              .pattern = "/api/models/analyze",
              .role = http::Role::viewer,
              .body = http::Body::stream,
              .max_body_bytes = app.max_upload_bytes(),
              .open_sink = upload_sink(app)},
             [&app](http::Request& req, http::Response& res) {
               auto& up = finished_upload(req);
               auto inspected = inspect_upload(up, "cannot analyze");
               refuse_unrunnable(up, inspected);  // what is wrong with the file comes before the device type
               std::string device = app.resolve_device(up.field("device_type"));
               auto j = onnx::inspect_to_json(inspected);
               j["success"] = true;
               j["file_name"] = up.file_name();
               j["device_type"] = device;
               auto e = predicted_energy(app.predictors().get(), inspected, device);
               j["predicted_energy"] = e.to_json();
               j["predicted_energy_mwh"] = e.mwh ? nlohmann::json(*e.mwh) : nlohmann::json();
               http::reply_json(res, j);
             });
}

}  // namespace edgeml::controller
