#pragma once
// Device enrollment (Mender-style): an agent started with an enrollment token presents who it is -- its machine id,
// the board it detected, its agent version, where it listens -- and two credentials it made itself: its own
// (device_token, which the controller keeps as a hash) and the one the controller shall present to it (agent_token,
// kept sealed under the key file). It appears as pending; an admin accepts it (it becomes a device the controller
// deploys to and polls) or rejects it; an accepted device can be revoked later (its credential stops working and the
// controller forgets its key to the agent). The agent asks again with the same body until it is decided.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>

#include "common/clock.hpp"
#include "controller/rate_limiter.hpp"
#include "secrets/sealer.hpp"
#include "store/auth_store.hpp"
#include "store/devices.hpp"

namespace edgeml::controller {

struct EnrollRequest {
  std::string name, machine_id, device_type, model, agent_version, hostname, address;
  std::string device_token, agent_token;
};

// {name, machine_id, device_type, model?, agent_version, hostname?, address? | port, device_token, agent_token};
// without an address, the agent is reached at the address the request came from and `port`. Throws FieldError.
EnrollRequest parse_enroll_request(const nlohmann::json& body, const std::string& remote_ip);

// What an admin may change when accepting (a clearer name, the catalog's device type, another address).
struct AcceptChanges {
  std::optional<std::string> name, device_type, address;
};
AcceptChanges parse_accept_changes(const nlohmann::json& body);

class EnrollmentService {
 public:
  EnrollmentService(store::AuthStore& auth, store::DeviceStore& devices, const secrets::Sealer& sealer,
                    const Clock& clock, RateLimiter& new_requests, long long max_pending = 1000);

  // The enrollment with this device_token: a new pending one (counted by the rate limiter; Error(rate_limited) when
  // max_pending are waiting), or the existing one, with its last contact updated. second = whether it is new.
  std::pair<store::Enrollment, bool> enroll(const EnrollRequest& request, const std::string& enrolled_with,
                                            const std::string& remote_ip);
  // pending -> accepted: the devices row is made (Error(conflict) when the name is taken). NotFoundError, or
  // Error(conflict) naming the status when it is not pending.
  store::Enrollment accept(long long id, const AcceptChanges& changes, const std::string& by);
  store::Enrollment reject(long long id, const std::string& by);  // pending -> rejected
  store::Enrollment revoke(long long id, const std::string& by);  // accepted -> revoked
  store::Enrollment get(long long id);                            // NotFoundError

 private:
  store::Enrollment decide(long long id, const std::string& from, const std::string& to, const std::string& by);
  store::AuthStore& auth_;
  store::DeviceStore& devices_;
  const secrets::Sealer& sealer_;
  const Clock& clock_;
  RateLimiter& new_requests_;
  long long max_pending_;
  std::mutex mu_;  // one decision at a time (two admins clicking at once)
};

// The JSON of an enrollment for the API: never the credentials.
nlohmann::json to_json(const store::Enrollment& e);

}  // namespace edgeml::controller
