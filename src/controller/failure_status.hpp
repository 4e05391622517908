#pragma once
// The HTTP status of a finished deployment or rollback, chosen from its recorded state and FailureKind (never from the
// wording of its error message). One table for POST /api/deploy and POST /api/devices/<id>/rollback.
#include "store/records.hpp"

namespace edgeml::controller {

// deploy: 200 succeeded; 409 rejected by the energy gate or refused by the device; 404 no artifact; 503 unreachable,
// expired or interrupted; 504 timeout; 500 internal; 502 the device failed it (checksum, download, disk, activation,
// health check).
int deploy_http_status(const store::DeploymentRecord& r);
// rollback: 200 succeeded; 503 unreachable, expired or interrupted; 504 timeout; 500 internal; otherwise 409 (nothing
// to roll back to, or the previous model did not come back).
int rollback_http_status(const store::DeploymentRecord& r);

}  // namespace edgeml::controller
