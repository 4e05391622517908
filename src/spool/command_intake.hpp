#pragma once
// What the agent does with a message on its command topic, in one place: parse it (wire), check it is for this device
// and not expired, run each id once (CommandJournal), and say what to publish on the events topic. Every refusal is
// counted and logged; nothing runs that was refused.
//
//   new, valid           -> run it; reply "accepted"
//   expired              -> reply "rejected" (FailureKind::expired), remembered for replays
//   already finished     -> reply its recorded outcome again (the controller may have missed it); runs nothing
//   still running        -> nothing (a redelivery while it runs)
//   malformed / unknown version / oversized -> reply "rejected" (refused) when its id can be read, else nothing
//   for another device   -> nothing (not ours to answer)
#include <optional>
#include <string>
#include <string_view>

#include "common/clock.hpp"
#include "spool/command_journal.hpp"
#include "wire/command.hpp"
#include "wire/event.hpp"
#include "wire/refusals.hpp"

namespace edgeml::spool {

struct Intake {
  std::optional<wire::Command> run;      // run it, then CommandJournal::record_outcome(final event)
  std::optional<wire::Event> reply;      // publish on <prefix>/<device>/events
  std::optional<wire::Refusal> refused;  // why nothing runs (already counted)
};

Intake take_command(std::string_view payload, const std::string& device, CommandJournal& journal, const Clock& clock,
                    wire::RefusalCounters& refusals);

}  // namespace edgeml::spool
