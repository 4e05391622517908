#include "wire/failure_kind.hpp"

#include <array>

#include "common/error.hpp"

namespace edgeml::wire {

namespace {
constexpr std::array<EnumName<FailureKind>, 14> kNames{{
    {FailureKind::unreachable, "unreachable"},
    {FailureKind::refused, "refused"},
    {FailureKind::checksum, "checksum"},
    {FailureKind::disk_full, "disk_full"},
    {FailureKind::too_large, "too_large"},
    {FailureKind::download, "download"},
    {FailureKind::activation, "activation"},
    {FailureKind::health_check, "health_check"},
    {FailureKind::timeout, "timeout"},
    {FailureKind::expired, "expired"},
    {FailureKind::over_budget, "over_budget"},
    {FailureKind::no_artifact, "no_artifact"},
    {FailureKind::interrupted, "interrupted"},
    {FailureKind::internal, "internal"},
}};
}  // namespace

std::span<const EnumName<FailureKind>> failure_kind_names() { return kNames; }

FailureKind parse_failure_kind(std::string_view name, std::string_view field) {
  return parse_enum<FailureKind>(kNames, name, field);
}

FailureKind failure_kind_of(const std::exception& e) {
  auto* err = dynamic_cast<const Error*>(&e);
  if (!err) return FailureKind::internal;
  switch (err->kind()) {
    case ErrorKind::insufficient_storage:
      return FailureKind::disk_full;
    case ErrorKind::too_large:
      return FailureKind::too_large;
    case ErrorKind::upstream_failed:
      return FailureKind::download;
    case ErrorKind::upstream_timeout:
      return FailureKind::timeout;
    case ErrorKind::unprocessable:
      return FailureKind::activation;
    case ErrorKind::not_found:
      return FailureKind::no_artifact;
    case ErrorKind::bad_field:
      // The agent's store says FieldError("sha256") for a checksum mismatch and FieldError("size") when the server
      // sent another number of bytes than announced; any other field is a request the agent refused.
      if (err->field() == "sha256") return FailureKind::checksum;
      if (err->field() == "size") return FailureKind::download;
      return FailureKind::refused;
    case ErrorKind::conflict:
    case ErrorKind::unauthorized:
    case ErrorKind::forbidden:
    case ErrorKind::unavailable:
    case ErrorKind::rate_limited:
    case ErrorKind::method_not_allowed:
    case ErrorKind::length_required:
    case ErrorKind::unsupported_media:
    case ErrorKind::range_not_satisfiable:
      return FailureKind::refused;
    case ErrorKind::internal:
      return FailureKind::internal;
  }
  return FailureKind::internal;
}

}  // namespace edgeml::wire
