#pragma once
// What the agent must remember across restarts: the active model, the one before it (for rollback) and a short
// history of activations. Stored as JSON in "<state>/agent_state.json", always replaced atomically
// (write_file_atomic), so after a crash it is either the old or the new state, never a mix.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "agent/model_ref.hpp"

namespace edgeml::agent {

struct HistoryEvent {
  double at_s = 0;
  std::string event;  // "activated", "activation_failed", "rolled_back"
  std::string name, sha256;
  std::string reason;  // why it failed; empty on success
};

struct AgentState {
  std::optional<ModelRef> active;
  double active_since_s = 0;
  std::optional<ModelRef> previous;
  std::vector<HistoryEvent> history;  // newest last, at most kMaxHistory

  static constexpr size_t kMaxHistory = 50;
  void record(HistoryEvent e);
};

nlohmann::json to_json(const AgentState& s);
nlohmann::json to_json(const HistoryEvent& e);

// Missing file -> empty state. A corrupt file throws std::runtime_error naming it (never silently forgets the model).
AgentState load_agent_state(const std::filesystem::path& file);
void save_agent_state(const std::filesystem::path& file, const AgentState& s);

}  // namespace edgeml::agent
