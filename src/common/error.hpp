#pragma once
// Errors that carry what a user can act on: a kind (what went wrong, in terms a caller can act on), the field (or
// file, or column) at fault, and optional details. Libraries and services throw these; the one place that turns a
// kind into an HTTP status is src/http/error_status.cpp, the one place that turns it into a CLI exit code is
// src/tool. Nothing else chooses a status by matching message text.
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

namespace edgeml {

enum class ErrorKind {
  bad_field,              // a value the caller sent is wrong (field names it)
  unauthorized,           // no or wrong credentials
  forbidden,              // credentials fine, role not enough
  not_found,              // a named thing does not exist
  method_not_allowed,     // the path exists, the method does not
  conflict,               // the state does not allow it (over budget, already running, name taken)
  length_required,        // a body is required and its length was not given
  too_large,              // body, file or image over a limit
  range_not_satisfiable,  // a byte range outside the file
  unsupported_media,      // a body encoding or type we do not take (e.g. gzip request bodies)
  unprocessable,          // well-formed but unusable (a model that does not load)
  rate_limited,           // too many requests; details may carry retry_after_s
  upstream_failed,        // a service we called answered wrongly or not at all
  upstream_timeout,       // a service we called did not answer in time
  unavailable,            // not configured or not ready here
  insufficient_storage,   // the disk is full
  internal,               // a fault of ours
};

// "bad_field", "not_found", ... (stable names: they appear in JSON error bodies as "kind").
const char* to_string(ErrorKind kind);

class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, const std::string& message, std::string field = "",
        nlohmann::json details = nlohmann::json::object())
      : std::runtime_error(message), kind_(kind), field_(std::move(field)), details_(std::move(details)) {}
  ErrorKind kind() const { return kind_; }
  const std::string& field() const { return field_; }
  // Merged into the JSON error body (e.g. both energy figures of an over-budget deploy).
  const nlohmann::json& details() const { return details_; }

 private:
  ErrorKind kind_;
  std::string field_;
  nlohmann::json details_;
};

// Bad input from a caller: an HTTP body, a query parameter, a CLI flag, a CSV cell.
class FieldError : public Error {
 public:
  FieldError(std::string field, const std::string& message) : Error(ErrorKind::bad_field, message, std::move(field)) {}
};

// A named thing does not exist (model, device, file).
class NotFoundError : public Error {
 public:
  explicit NotFoundError(const std::string& message, std::string field = "")
      : Error(ErrorKind::not_found, message, std::move(field)) {}
};

}  // namespace edgeml
