#pragma once
// Errors that carry what a user can act on: which field (or file, or column) was wrong and why.
#include <stdexcept>
#include <string>

namespace edgeml {

// Bad input from a caller: an HTTP body, a query parameter, a CLI flag, a CSV cell.
// Services turn it into HTTP 400 {"error": what(), "field": field}.
class FieldError : public std::runtime_error {
 public:
  FieldError(std::string field, const std::string& message) : std::runtime_error(message), field_(std::move(field)) {}
  const std::string& field() const { return field_; }

 private:
  std::string field_;
};

// A named thing does not exist (model, device, file). Services answer 404.
class NotFoundError : public std::runtime_error {
 public:
  explicit NotFoundError(const std::string& message, std::string field = "")
      : std::runtime_error(message), field_(std::move(field)) {}
  const std::string& field() const { return field_; }

 private:
  std::string field_;
};

// Anything else a service must answer with a specific status (409 over budget, 503 not configured, 507 no space).
// body_extra is merged into the JSON error body (e.g. both energy figures of a 409).
class HttpError : public std::runtime_error {
 public:
  HttpError(int status, const std::string& message, std::string field = "")
      : std::runtime_error(message), status_(status), field_(std::move(field)) {}
  int status() const { return status_; }
  const std::string& field() const { return field_; }

 private:
  int status_;
  std::string field_;
};

}  // namespace edgeml
