#include "http/error_status.hpp"

namespace edgeml::http {

int status_of(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::bad_field:
      return 400;
    case ErrorKind::unauthorized:
      return 401;
    case ErrorKind::forbidden:
      return 403;
    case ErrorKind::not_found:
      return 404;
    case ErrorKind::method_not_allowed:
      return 405;
    case ErrorKind::conflict:
      return 409;
    case ErrorKind::length_required:
      return 411;
    case ErrorKind::too_large:
      return 413;
    case ErrorKind::unsupported_media:
      return 415;
    case ErrorKind::range_not_satisfiable:
      return 416;
    case ErrorKind::unprocessable:
      return 422;
    case ErrorKind::rate_limited:
      return 429;
    case ErrorKind::internal:
      return 500;
    case ErrorKind::upstream_failed:
      return 502;
    case ErrorKind::unavailable:
      return 503;
    case ErrorKind::upstream_timeout:
      return 504;
    case ErrorKind::insufficient_storage:
      return 507;
  }
  return 500;
}

ErrorKind kind_of_status(int status) {
  switch (status) {
    case 400:
      return ErrorKind::bad_field;
    case 401:
      return ErrorKind::unauthorized;
    case 403:
      return ErrorKind::forbidden;
    case 404:
      return ErrorKind::not_found;
    case 405:
      return ErrorKind::method_not_allowed;
    case 409:
      return ErrorKind::conflict;
    case 411:
      return ErrorKind::length_required;
    case 413:
      return ErrorKind::too_large;
    case 415:
      return ErrorKind::unsupported_media;
    case 416:
      return ErrorKind::range_not_satisfiable;
    case 422:
      return ErrorKind::unprocessable;
    case 429:
      return ErrorKind::rate_limited;
    case 503:
      return ErrorKind::unavailable;
    case 504:
      return ErrorKind::upstream_timeout;
    case 507:
      return ErrorKind::insufficient_storage;
    default:
      return status >= 500 ? ErrorKind::upstream_failed : ErrorKind::bad_field;
  }
}

}  // namespace edgeml::http
