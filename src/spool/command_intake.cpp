#include "spool/command_intake.hpp"

#include "common/log.hpp"
#include "common/names.hpp"
#include "wire/payload.hpp"

namespace edgeml::spool {

namespace {
wire::Event event(const std::string& device, const std::string& id, wire::EventKind kind, double at) {
  wire::Event e;
  e.device = device;
  e.command_id = id;
  e.kind = kind;
  e.at = at;
  return e;
}

// The id of a command that could not be read whole, when it is plainly addressed to this device: so the controller
// hears "rejected" now instead of waiting for the command to expire.
std::optional<std::string> readable_id(std::string_view payload, const std::string& device) {
  if (payload.size() > wire::kMaxCommandBytes) return std::nullopt;
  auto j = nlohmann::json::parse(payload, nullptr, false);
  if (!j.is_object() || !j.contains("id") || !j["id"].is_string() || j.value("device", "") != device)
    return std::nullopt;
  auto id = j["id"].get<std::string>();
  try {
    validate_name(id, "id");
  } catch (const std::exception&) {
    return std::nullopt;
  }
  return id;
}
}  // namespace

Intake take_command(std::string_view payload, const std::string& device, CommandJournal& journal, const Clock& clock,
                    wire::RefusalCounters& refusals) {
  Intake out;
  double now = clock.now_s();
  wire::Command c;
  try {
    c = wire::parse_command(payload, device);
  } catch (const std::exception& e) {
    out.refused = refusals.count(e);
    log::warn("agent", std::string("command refused (") + wire::to_string(*out.refused) + "): " + e.what());
    if (*out.refused == wire::Refusal::wrong_device) return out;
    if (auto id = readable_id(payload, device)) {
      out.reply = event(device, *id, wire::EventKind::rejected, now);
      out.reply->failure = wire::FailureKind::refused;
      out.reply->message = e.what();
    }
    return out;
  }
  auto admission = journal.admit(c);
  switch (admission.admission) {
    case Admission::run:
      out.run = c;
      out.reply = event(device, c.id, wire::EventKind::accepted, now);
      break;
    case Admission::expired: {
      out.refused = wire::Refusal::expired;
      refusals.count(*out.refused);
      auto e = event(device, c.id, wire::EventKind::rejected, now);
      e.failure = wire::FailureKind::expired;
      e.message = "command " + c.id + " expired before the device took it";
      journal.record_outcome(e);
      log::warn("agent", e.message);
      out.reply = std::move(e);
      break;
    }
    case Admission::done:
      out.refused = wire::Refusal::duplicate;
      refusals.count(*out.refused);
      out.reply = admission.outcome;  // the same answer again, nothing runs
      log::info("agent", "command " + c.id + " was already handled: its outcome is sent again");
      break;
    case Admission::in_progress:
      out.refused = wire::Refusal::duplicate;
      refusals.count(*out.refused);
      log::info("agent", "command " + c.id + " is already running: redelivery ignored");
      break;
  }
  return out;
}

}  // namespace edgeml::spool
