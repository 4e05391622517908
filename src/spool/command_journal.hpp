#pragma once
// The agent's memory of the commands it was given, so each command id runs at most once: a QoS 1 redelivery, a
// broker replaying a persistent session, or an old command sent again is answered from the journal (the outcome
// already reported is published again, so a controller that missed it learns it) and runs nothing.
//
// A command is recorded (and fsync'd) before it runs. One that was admitted but has no outcome when the agent starts
// was cut short by a crash or a restart: unfinished() lists them for the agent to report as failed (interrupted).
//
// Kept in one append-only file of JSON lines, compacted when it doubles; entries are kept until their command's
// expires_at plus a day (a replay after that is refused as expired anyway), at most max_entries. A torn last line
// (crash while writing) is ignored and counted. Thread-safe.
#include <cstdint>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "wire/command.hpp"
#include "wire/event.hpp"

namespace edgeml::spool {

enum class Admission {
  run,          // new: recorded, the caller runs it
  in_progress,  // seen, still running (or cut short): nothing to do
  done,         // seen and finished: `outcome` is what was reported
  expired,      // new but past expires_at: refused (report it rejected, FailureKind::expired)
};

struct AdmissionResult {
  Admission admission;
  std::optional<wire::Event> outcome;  // done: the final event recorded
};

class CommandJournal {
 public:
  // Throws std::runtime_error naming the file when it cannot be read or created.
  CommandJournal(std::filesystem::path file, const Clock& clock, std::size_t max_entries = 10000);

  // Decides and, for `run`, records the command before returning (fsync'd).
  AdmissionResult admit(const wire::Command& command);
  // The final event of a command (succeeded, failed, rejected). Throws std::invalid_argument for a non-final event.
  void record_outcome(const wire::Event& final_event);
  // Admitted and never finished (the agent stopped while running them), oldest first.
  std::vector<std::string> unfinished() const;
  std::size_t size() const;
  std::uint64_t damaged_lines() const;  // lines skipped when the journal was read

 private:
  struct Entry {
    double expires_at = 0;
    std::uint64_t order = 0;
    std::optional<wire::Event> outcome;
  };
  void load();
  void append_line(const nlohmann::json& line);
  void forget_old();
  void compact();

  std::filesystem::path file_;
  const Clock& clock_;
  std::size_t max_entries_;
  mutable std::mutex mu_;
  std::map<std::string, Entry> entries_;
  std::uint64_t next_order_ = 0, lines_ = 0, damaged_ = 0;
};

}  // namespace edgeml::spool
