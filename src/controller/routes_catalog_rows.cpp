// Rows measured elsewhere, taken in while the controller runs: POST /api/catalog/rows -- a JSON batch
// {"device_type", "rows": [...], "provenance"?} with cells named by either CSV schema's columns, a CSV body
// (text/csv, ?device_type=), or a multipart upload (a "file" part and a "device_type" field) -- validated and flagged
// like file rows, kept in the database, listed with source "api" in /api/models/all; clean ones recalibrate their
// device type's predictors in the background. GET /api/catalog/export?device_type= gives the catalog as CSV in the
// seed schema (the same text as `edgeml catalog export`).
#include "catalog/csv_export.hpp"
#include "catalog/row_import.hpp"
#include "common/error.hpp"
#include "common/json_fields.hpp"
#include "common/strings.hpp"
#include "controller/app.hpp"
#include "http/multipart.hpp"
#include "http/query.hpp"
#include "http/replies.hpp"

namespace edgeml::controller {

namespace {

constexpr size_t kMaxRowsBody = 32u << 20;  // 10,000 rows of a few hundred bytes each, with room

struct CsvUpload {
  std::string csv, device_type;
};

// The "file" part and the "device_type" field of a multipart body.
CsvUpload read_multipart(const std::string& boundary, const std::string& body) {
  CsvUpload out;
  std::string field;
  bool saw_file = false;
  http::MultipartParser parser(boundary, {[&](const http::MultipartPart& part) {
                                            field = part.name;
                                            if (field == "file") {
                                              if (saw_file) throw FieldError("file", "more than one 'file' part");
                                              saw_file = true;
                                            }
                                          },
                                          [&](const char* data, size_t size) {
                                            if (field == "file")
                                              out.csv.append(data, size);
                                            else if (field == "device_type" && out.device_type.size() + size <= 64)
                                              out.device_type.append(data, size);
                                          },
                                          [] {}});
  parser.feed(body.data(), body.size());
  parser.finish();
  if (!saw_file) throw FieldError("file", "the upload has no 'file' part with the CSV");
  out.device_type = std::string(trim(out.device_type));
  return out;
}

catalog::RowBatch read_batch(const http::Request& req) {
  catalog::Provenance api;
  api.origin = catalog::kOriginApi;
  const std::string type = to_lower(req.header("Content-Type"));
  auto query_device = http::query_string(req, "device_type", 64).value_or("");
  if (auto boundary = http::MultipartParser::boundary_of(req.header("Content-Type"))) {
    auto up = read_multipart(*boundary, req.body);
    std::string device = up.device_type.empty() ? query_device : up.device_type;
    if (device.empty()) throw FieldError("device_type", "name the device_type the CSV rows were measured on");
    api.campaign = "api:csv upload";
    return catalog::rows_from_csv(up.csv, device, api);
  }
  if (type.rfind("text/csv", 0) == 0) {
    if (query_device.empty())
      throw FieldError("device_type", "a CSV body needs ?device_type= naming the device type it was measured on");
    api.campaign = "api:csv upload";
    return catalog::rows_from_csv(req.body, query_device, api);
  }
  if (!type.empty() && type.rfind("application/json", 0) != 0)
    throw Error(ErrorKind::unsupported_media,
                "send the rows as application/json ({\"device_type\", \"rows\": [...]}), text/csv (?device_type=) "
                "or multipart/form-data (file, device_type)",
                "Content-Type");
  return catalog::rows_from_json(parse_json_body(req.body), api);
}

}  // namespace

void register_catalog_row_routes(ControllerApp& app, http::Router& router) {
  router.add({.method = "POST",
              .pattern = "/api/catalog/rows",
              .role = http::Role::operator_,
              .body = http::Body::raw,
              .max_body_bytes = kMaxRowsBody,
              .mutates = true},
             [&app](http::Request& req, http::Response& res) {
               auto batch = read_batch(req);
               auto result = app.catalog_service().add(std::move(batch.rows));
               http::reply_json(
                   res,
                   {{"success", true},
                    {"device_type", batch.device_type},
                    {"added", result.added},
                    {"clean", result.clean},
                    {"flagged", result.flagged},
                    {"repaired", result.repaired},
                    {"catalog_version", result.version},
                    {"recalibrating", result.device_types},
                    {"predictors", result.device_types.empty()
                                       ? "no clean rows: the predictors stay as they are"
                                       : "rebuilding in the background (GET /api/predictors shows when it is done)"},
                    {"rows", result.rows}},
                   201);
             });

  router.add({.method = "GET", .pattern = "/api/catalog/export", .role = http::Role::viewer},
             [&app](http::Request& req, http::Response& res) {
               std::string device;
               if (auto d = http::query_string(req, "device_type"); d && !d->empty()) device = app.resolve_device(*d);
               res.set_header("Content-Disposition", "attachment; filename=\"catalog" +
                                                         (device.empty() ? std::string() : "-" + device) + ".csv\"");
               res.set_content(catalog::export_csv(*app.catalog(), device), "text/csv; charset=utf-8");
             });
}

}  // namespace edgeml::controller
