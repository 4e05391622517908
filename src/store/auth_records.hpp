#pragma once
// What the controller keeps about who may do what (schema version 4): API tokens, dashboard users and their sessions,
// the audit log, and device enrollments. Secrets are never stored as they are: tokens and session keys as hashes,
// passwords as argon2id hashes, the controller's token for an agent sealed under the key file (src/secrets).
#include <optional>
#include <string>

namespace edgeml::store {

struct ApiToken {
  long long id = 0;
  std::string name;
  std::string role;        // viewer | operator | admin | device (device: may only enroll agents)
  std::string token_hash;  // secrets::token_hash of the token, which was shown once
  std::string created_by;
  double created_at = 0;
  std::optional<double> revoked_at;
  std::optional<double> last_used_at;
};

struct User {
  long long id = 0;
  std::string name;
  std::string role;           // viewer | operator | admin
  std::string password_hash;  // argon2id (libsodium crypto_pwhash_str)
  std::string created_by;
  double created_at = 0;
  std::optional<double> last_login_at;
};

struct Session {
  long long id = 0;
  long long user_id = 0;
  std::string token_hash;  // of the HttpOnly session cookie's value
  std::string csrf_hash;   // of the CSRF token the dashboard sends back in X-CSRF-Token
  double created_at = 0;
  double expires_at = 0;
};

// One mutating request: who, what, the answer.
struct AuditEntry {
  long long id = 0;
  double t = 0;
  std::string actor;         // token, user or device name; "local" without authentication; "anonymous"
  std::string actor_method;  // token | session | device | signed_url | local | anonymous
  std::string actor_role;
  std::string action;  // "POST /api/deploy" (the route's pattern)
  std::string path;    // the request path as sent (no query)
  long long status = 0;
  std::string remote_ip;
  std::string detail;  // the error message of a refused request
};

// An agent that asked to join (POST /api/enroll with an enrollment token) and what an admin decided.
struct Enrollment {
  long long id = 0;
  std::string name;  // the device name it asks for (common/names rule)
  std::string machine_id, device_type, model, agent_version, hostname, address;
  std::string remote_ip;
  std::string enrolled_with;       // the name of the enrollment token used
  std::string status = "pending";  // pending | accepted | rejected | revoked
  std::string device_token_hash;   // the agent's own credential towards the controller (hash only)
  std::string agent_token_sealed;  // the controller's credential towards the agent, sealed
  double requested_at = 0;
  double last_seen_at = 0;
  std::optional<double> decided_at;
  std::string decided_by;
  std::optional<long long> device_id;  // the devices row made on acceptance
};

}  // namespace edgeml::store
