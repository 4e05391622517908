#include "wire/event.hpp"

#include <array>

#include "common/error.hpp"
#include "common/names.hpp"
#include "wire/fields.hpp"
#include "wire/payload.hpp"

namespace edgeml::wire {

namespace {
constexpr std::array<EnumName<EventKind>, 5> kKinds{{
    {EventKind::accepted, "accepted"},
    {EventKind::rejected, "rejected"},
    {EventKind::progress, "progress"},
    {EventKind::succeeded, "succeeded"},
    {EventKind::failed, "failed"},
}};
}  // namespace

std::span<const EnumName<EventKind>> event_kind_names() { return kKinds; }

bool is_final(EventKind k) { return k == EventKind::rejected || k == EventKind::succeeded || k == EventKind::failed; }

nlohmann::json to_json(const Event& e) {
  nlohmann::json j{{"v", kWireVersion},
                   {"device", e.device},
                   {"command_id", e.command_id},
                   {"kind", to_string(e.kind)},
                   {"at", e.at}};
  if (e.step) j["step"] = to_string(*e.step);
  if (e.job_state) j["job_state"] = to_string(*e.job_state);
  if (e.received_bytes) j["received_bytes"] = *e.received_bytes;
  if (e.total_bytes) j["total_bytes"] = *e.total_bytes;
  if (e.failure) j["failure"] = to_string(*e.failure);
  if (!e.message.empty()) j["message"] = e.message;
  if (e.detail) j["detail"] = *e.detail;
  return j;
}

std::string encode(const Event& e) { return to_json(e).dump(); }

Event parse_event(std::string_view payload, const std::string& topic_device) {
  auto m = parse_message(payload, kMaxEventBytes);
  Event e;
  e.device = require_device(m, topic_device);
  e.command_id = require_string(m, "command_id", 128);
  validate_name(e.command_id, "command_id");
  e.kind = parse_enum<EventKind>(kKinds, require_string(m, "kind", 32), "kind");
  e.at = require_time(m, "at");
  if (auto s = optional_string(m, "step", 32)) e.step = parse_deploy_step(*s, "step");
  if (auto s = optional_string(m, "job_state", 32)) e.job_state = parse_agent_job_state(*s, "job_state");
  e.received_bytes = optional_whole(m, "received_bytes");
  e.total_bytes = optional_whole(m, "total_bytes");
  if (auto f = optional_string(m, "failure", 32)) e.failure = parse_failure_kind(*f, "failure");
  e.message = optional_string(m, "message", 4096).value_or("");
  e.detail = optional_object(m, "detail");

  bool needs_failure = e.kind == EventKind::rejected || e.kind == EventKind::failed;
  if (needs_failure && (!e.failure || e.message.empty()))
    throw FieldError("failure", std::string("a '") + to_string(e.kind) + "' event needs 'failure' and 'message'");
  if (!needs_failure && e.failure)
    throw FieldError("failure", std::string("a '") + to_string(e.kind) + "' event has no 'failure'");
  if (e.kind == EventKind::progress && !e.step && !e.job_state && !e.received_bytes)
    throw FieldError("step", "a 'progress' event needs 'step', 'job_state' or 'received_bytes'");
  if (e.received_bytes && e.total_bytes && *e.received_bytes > *e.total_bytes)
    throw FieldError("received_bytes", "'received_bytes' must not exceed 'total_bytes'");
  return e;
}

}  // namespace edgeml::wire
