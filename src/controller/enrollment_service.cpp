#include "controller/enrollment_service.hpp"

#include "catalog/device_profile.hpp"
#include "common/error.hpp"
#include "common/json_fields.hpp"
#include "common/names.hpp"
#include "controller/agent_client.hpp"
#include "http/headers.hpp"
#include "secrets/tokens.hpp"

namespace edgeml::controller {

namespace {

// A short text field that ends up in tables and logs: no control characters, bounded.
std::string text_field(const nlohmann::json& body, const std::string& field, size_t max_len, bool required) {
  auto v = required ? std::optional(require_string(body, field, max_len)) : optional_string(body, field, max_len);
  if (!v) return "";
  http::require_header_safe(*v, field);
  return *v;
}

}  // namespace

EnrollRequest parse_enroll_request(const nlohmann::json& body, const std::string& remote_ip) {
  if (!body.is_object())
    throw FieldError("body",
                     "expected {name, machine_id, device_type, agent_version, port, device_token, agent_token}");
  EnrollRequest r;
  r.name = require_string(body, "name", 128);
  validate_name(r.name, "name");
  r.machine_id = text_field(body, "machine_id", 128, true);
  for (char c : r.machine_id)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-')
      throw FieldError("machine_id", "machine_id may hold only letters, digits and '-' (as /etc/machine-id does)");
  r.device_type = catalog::normalize_device_type(require_string(body, "device_type", 64));
  r.model = text_field(body, "model", 256, false);
  r.agent_version = text_field(body, "agent_version", 32, true);
  r.hostname = text_field(body, "hostname", 255, false);
  r.address = text_field(body, "address", 255, false);
  if (r.address.empty()) {
    double port = require_number(body, "port", {1, 65535});
    if (remote_ip.find(':') != std::string::npos)
      throw FieldError("address", "the agent connected over IPv6: send its address (host:port) explicitly");
    r.address = remote_ip + ":" + std::to_string(static_cast<int>(port));
  }
  split_address(r.address, "address");
  r.device_token = require_string(body, "device_token", 512);
  secrets::validate_token_text(r.device_token, "device_token");
  r.agent_token = require_string(body, "agent_token", 512);
  secrets::validate_token_text(r.agent_token, "agent_token");
  if (r.agent_token == r.device_token)
    throw FieldError("agent_token", "agent_token and device_token must be two different secrets");
  return r;
}

AcceptChanges parse_accept_changes(const nlohmann::json& body) {
  AcceptChanges c;
  if (body.is_null()) return c;
  if (!body.is_object()) throw FieldError("body", "expected a JSON object {name?, device_type?, address?}");
  if ((c.name = optional_string(body, "name", 128))) validate_name(*c.name, "name");
  if (auto t = optional_string(body, "device_type", 64)) c.device_type = catalog::normalize_device_type(*t);
  if ((c.address = optional_string(body, "address", 255))) split_address(*c.address, "address");
  return c;
}

EnrollmentService::EnrollmentService(store::AuthStore& auth, store::DeviceStore& devices, const secrets::Sealer& sealer,
                                     const Clock& clock, RateLimiter& new_requests, long long max_pending)
    : auth_(auth),
      devices_(devices),
      sealer_(sealer),
      clock_(clock),
      new_requests_(new_requests),
      max_pending_(max_pending) {}

std::pair<store::Enrollment, bool> EnrollmentService::enroll(const EnrollRequest& r, const std::string& enrolled_with,
                                                             const std::string& remote_ip) {
  const std::string hash = secrets::token_hash(r.device_token);
  std::lock_guard lock(mu_);
  if (auto known = auth_.enrollments().by_device_token_hash(hash)) {
    known->last_seen_at = clock_.now_s();
    known->agent_version = r.agent_version;
    known->remote_ip = remote_ip;
    auth_.enrollments().update(*known);
    return {*known, false};
  }
  new_requests_.take(remote_ip);
  if (auth_.enrollments().count_pending() >= max_pending_)
    throw Error(ErrorKind::rate_limited,
                std::to_string(max_pending_) + " enrollments are waiting already: accept or reject some first", "",
                {{"retry_after_s", 60}});
  store::Enrollment e;
  e.name = r.name;
  e.machine_id = r.machine_id;
  e.device_type = r.device_type;
  e.model = r.model;
  e.agent_version = r.agent_version;
  e.hostname = r.hostname;
  e.address = r.address;
  e.remote_ip = remote_ip;
  e.enrolled_with = enrolled_with;
  e.device_token_hash = hash;
  e.agent_token_sealed = sealer_.seal(r.agent_token);
  e.requested_at = e.last_seen_at = clock_.now_s();
  return {auth_.enrollments().add(e), true};
}

store::Enrollment EnrollmentService::get(long long id) {
  auto e = auth_.enrollments().by_id(id);
  if (!e) throw NotFoundError("no enrollment with id " + std::to_string(id), "id");
  return *e;
}

store::Enrollment EnrollmentService::decide(long long id, const std::string& from, const std::string& to,
                                            const std::string& by) {
  auto e = get(id);
  if (e.status != from)
    throw Error(ErrorKind::conflict, "enrollment " + std::to_string(id) + " is " + e.status + ", not " + from, "id");
  e.status = to;
  e.decided_at = clock_.now_s();
  e.decided_by = by;
  return e;
}

store::Enrollment EnrollmentService::accept(long long id, const AcceptChanges& changes, const std::string& by) {
  std::lock_guard lock(mu_);
  auto e = decide(id, "pending", "accepted", by);
  store::Device d;
  d.name = changes.name.value_or(e.name);
  d.address = changes.address.value_or(e.address);
  d.device_type = changes.device_type.value_or(e.device_type);
  d.token = sealer_.unseal(e.agent_token_sealed);  // the device store seals it again for its own column
  d.created_at = clock_.now_s();
  auto saved = devices_.add(d);
  e.name = saved.name;
  e.device_id = saved.id;
  e.agent_token_sealed.clear();  // kept once, in the devices row
  auth_.enrollments().update(e);
  return e;
}

store::Enrollment EnrollmentService::reject(long long id, const std::string& by) {
  std::lock_guard lock(mu_);
  auto e = decide(id, "pending", "rejected", by);
  e.agent_token_sealed.clear();
  auth_.enrollments().update(e);
  return e;
}

store::Enrollment EnrollmentService::revoke(long long id, const std::string& by) {
  std::lock_guard lock(mu_);
  auto e = decide(id, "accepted", "revoked", by);
  auth_.enrollments().update(e);
  if (e.device_id) devices_.set_token(*e.device_id, "");  // the controller forgets its key to the agent
  return e;
}

nlohmann::json to_json(const store::Enrollment& e) {
  auto opt = [](const auto& v) { return v ? nlohmann::json(*v) : nlohmann::json(); };
  return {{"id", e.id},
          {"name", e.name},
          {"status", e.status},
          {"machine_id", e.machine_id},
          {"device_type", e.device_type},
          {"model", e.model},
          {"agent_version", e.agent_version},
          {"hostname", e.hostname},
          {"address", e.address},
          {"remote_ip", e.remote_ip},
          {"enrolled_with", e.enrolled_with},
          {"requested_at", e.requested_at},
          {"last_seen_at", e.last_seen_at},
          {"decided_at", opt(e.decided_at)},
          {"decided_by", e.decided_by},
          {"device_id", opt(e.device_id)}};
}

}  // namespace edgeml::controller
