#include "controller/failure_status.hpp"

#include "wire/deploy_state.hpp"
#include "wire/failure_kind.hpp"

namespace edgeml::controller {

namespace {
using wire::FailureKind;

std::optional<FailureKind> kind_of(const store::DeploymentRecord& r) {
  if (r.failure_kind.empty()) return std::nullopt;
  try {
    return wire::parse_failure_kind(r.failure_kind, "failure_kind");
  } catch (const std::exception&) {
    return FailureKind::internal;  // a name this build does not know (written by a newer controller)
  }
}

// The statuses both routes share; nullopt where they differ.
std::optional<int> common_status(const store::DeploymentRecord& r, const std::optional<FailureKind>& kind) {
  if (r.status == wire::to_string(wire::DeployState::succeeded)) return 200;
  if (!kind) return std::nullopt;
  switch (*kind) {
    case FailureKind::unreachable:
    case FailureKind::expired:
    case FailureKind::interrupted:
      return 503;
    case FailureKind::timeout:
      return 504;
    case FailureKind::internal:
      return 500;
    default:
      return std::nullopt;
  }
}
}  // namespace

int deploy_http_status(const store::DeploymentRecord& r) {
  auto kind = kind_of(r);
  if (auto s = common_status(r, kind)) return *s;
  if (r.status == wire::to_string(wire::DeployState::rejected)) return 409;
  if (kind == FailureKind::refused || kind == FailureKind::over_budget) return 409;
  if (kind == FailureKind::no_artifact) return 404;
  return 502;
}

int rollback_http_status(const store::DeploymentRecord& r) {
  auto kind = kind_of(r);
  if (auto s = common_status(r, kind)) return *s;
  return 409;
}

}  // namespace edgeml::controller
