#pragma once
// Errors that carry what a user can act on: which field (or file, or column) was wrong and why.
#include <stdexcept>
#include <string>

namespace edgeml {

// Bad input from a caller: an HTTP body, a query parameter, a CLI flag, a CSV cell.
// Services turn it into HTTP 400 {"error": what(), "field": field}.
class FieldError : public std::runtime_error {
 public:
  FieldError(std::string field, const std::string& message)
      : std::runtime_error(message), field_(std::move(field)) {}
  const std::string& field() const { return field_; }

 private:
  std::string field_;
};

// A named thing does not exist (model, device, file). Services answer 404.
class NotFoundError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace edgeml
