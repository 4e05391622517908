#include "store/commands.hpp"

namespace edgeml::store {

const Table<CommandRecord>& commands_table() {
  using C = CommandRecord;
  static const Table<C> t(
      "commands",
      {id_column(&C::id), column("command_id", &C::command_id, "NOT NULL UNIQUE"),
       column("device_id", &C::device_id, "NOT NULL"), column("deployment_id", &C::deployment_id),
       column("type", &C::type, "NOT NULL"), column("message", &C::message, "NOT NULL"),
       column("issued_at", &C::issued_at, "NOT NULL"), column("expires_at", &C::expires_at, "NOT NULL"),
       column("state", &C::state, "NOT NULL"), column("sends", &C::sends), column("last_sent_at", &C::last_sent_at),
       column("outcome", &C::outcome), column("updated_at", &C::updated_at)});
  return t;
}

long long CommandStore::add(const CommandRecord& r) {
  const auto& t = commands_table();
  return db_.read<long long>(
      [&](Connection& c) { return c.query(t.insert_sql(), t.insert_params(r)).at(0).integer(0); });
}

std::optional<CommandRecord> CommandStore::by_command_id(const std::string& command_id) {
  const auto& t = commands_table();
  return db_.read<std::optional<CommandRecord>>([&](Connection& c) -> std::optional<CommandRecord> {
    auto rows = c.query(t.select("WHERE command_id = ?"), {command_id});
    if (rows.empty()) return std::nullopt;
    return t.read(rows[0]);
  });
}

std::vector<CommandRecord> CommandStore::pending(long long device_id, double now_s) {
  const auto& t = commands_table();
  return db_.read<std::vector<CommandRecord>>([&](Connection& c) {
    return t.read_all(c.query(t.select("WHERE device_id = ? AND state = 'pending' AND expires_at > ? ORDER BY id"),
                              {device_id, now_s}));
  });
}

void CommandStore::sent(const std::string& command_id, double now_s) {
  db_.with([&](Connection& c) {
    c.execute("UPDATE commands SET sends = sends + 1, last_sent_at = ? WHERE command_id = ?", {now_s, command_id});
  });
}

bool CommandStore::set_state(const std::string& command_id, const std::string& state, double now_s,
                             const std::string& outcome) {
  // The states a command may still leave: accepted only from pending; finals from pending or accepted.
  std::string from = state == "accepted" ? "('pending')" : "('pending', 'accepted')";
  return db_.read<long long>([&](Connection& c) {
    return c.execute(
        "UPDATE commands SET state = ?, outcome = ?, updated_at = ? WHERE command_id = ? AND "
        "state IN " +
            from,
        {state, outcome, now_s, command_id});
  }) > 0;
}

int CommandStore::expire(double now_s) {
  return static_cast<int>(db_.read<long long>([&](Connection& c) {
    return c.execute(
        "UPDATE commands SET state = 'expired', updated_at = ? WHERE state = 'pending' AND expires_at <= ?",
        {now_s, now_s});
  }));
}

}  // namespace edgeml::store
