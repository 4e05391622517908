#pragma once
// The commands table: what the controller asked an MQTT-mode agent to do (deploy, rollback, benchmark, config), kept
// until the agent acknowledged it or it expired, so a command outlives a controller restart and is sent again when the
// device comes back online. The agent runs each command id once (its journal), so sending again is always safe.
//
//   state: pending (not yet accepted) -> accepted -> succeeded | failed | rejected;  pending -> expired
#include <optional>
#include <string>
#include <vector>

#include "store/table.hpp"

namespace edgeml::store {

struct CommandRecord {
  long long id = 0;
  std::string command_id;  // the wire id (unique)
  long long device_id = 0;
  std::optional<long long> deployment_id;
  std::string type;     // wire::CommandType name
  std::string message;  // the encoded wire::Command, sent as it is (again)
  double issued_at = 0, expires_at = 0;
  std::string state = "pending";
  long long sends = 0;
  std::optional<double> last_sent_at;
  std::string outcome;  // the final event's JSON, when there is one
  std::optional<double> updated_at;
};

const Table<CommandRecord>& commands_table();

class CommandStore {
 public:
  explicit CommandStore(Database& db) : db_(db) {}
  long long add(const CommandRecord& r);  // returns the row id
  std::optional<CommandRecord> by_command_id(const std::string& command_id);
  // Pending commands of a device that have not expired at now_s, oldest first.
  std::vector<CommandRecord> pending(long long device_id, double now_s);
  // Counts a send.
  void sent(const std::string& command_id, double now_s);
  // Moves a command to `state` (with the final event, for outcomes). Only forward: a final state is never left, and an
  // accepted command never goes back to pending. Returns whether the row changed.
  bool set_state(const std::string& command_id, const std::string& state, double now_s,
                 const std::string& outcome = "");
  // Pending commands past their expires_at become expired. Returns how many.
  int expire(double now_s);

 private:
  Database& db_;
};

}  // namespace edgeml::store
