#include "common/error.hpp"

namespace edgeml {

const char* to_string(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::bad_field:
      return "bad_field";
    case ErrorKind::unauthorized:
      return "unauthorized";
    case ErrorKind::forbidden:
      return "forbidden";
    case ErrorKind::not_found:
      return "not_found";
    case ErrorKind::method_not_allowed:
      return "method_not_allowed";
    case ErrorKind::conflict:
      return "conflict";
    case ErrorKind::length_required:
      return "length_required";
    case ErrorKind::too_large:
      return "too_large";
    case ErrorKind::range_not_satisfiable:
      return "range_not_satisfiable";
    case ErrorKind::unsupported_media:
      return "unsupported_media";
    case ErrorKind::unprocessable:
      return "unprocessable";
    case ErrorKind::rate_limited:
      return "rate_limited";
    case ErrorKind::upstream_failed:
      return "upstream_failed";
    case ErrorKind::upstream_timeout:
      return "upstream_timeout";
    case ErrorKind::unavailable:
      return "unavailable";
    case ErrorKind::insufficient_storage:
      return "insufficient_storage";
    case ErrorKind::internal:
      return "internal";
  }
  return "internal";
}

}  // namespace edgeml
