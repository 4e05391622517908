#include "agent/agent_state.hpp"

#include <stdexcept>

#include "common/files.hpp"

namespace edgeml::agent {

void AgentState::record(HistoryEvent e) {
  history.push_back(std::move(e));
  if (history.size() > kMaxHistory) history.erase(history.begin(), history.end() - kMaxHistory);
}

nlohmann::json to_json(const HistoryEvent& e) {
  nlohmann::json j{{"at", e.at_s}, {"event", e.event}, {"name", e.name}, {"sha256", e.sha256}};
  if (!e.reason.empty()) j["reason"] = e.reason;
  return j;
}

nlohmann::json to_json(const AgentState& s) {
  nlohmann::json j;
  j["version"] = 1;
  j["active"] = s.active ? to_json(*s.active) : nlohmann::json(nullptr);
  j["active_since"] = s.active_since_s;
  j["previous"] = s.previous ? to_json(*s.previous) : nlohmann::json(nullptr);
  j["history"] = nlohmann::json::array();
  for (const auto& e : s.history) j["history"].push_back(to_json(e));
  return j;
}

AgentState load_agent_state(const std::filesystem::path& file) {
  AgentState s;
  if (!std::filesystem::exists(file)) return s;
  auto j = nlohmann::json::parse(read_file(file), nullptr, false);
  if (j.is_discarded() || !j.is_object())
    throw std::runtime_error("state file " + file.string() + " is not valid JSON");
  try {
    if (!j.value("active", nlohmann::json()).is_null()) s.active = model_ref_from_json(j["active"]);
    s.active_since_s = j.value("active_since", 0.0);
    if (!j.value("previous", nlohmann::json()).is_null()) s.previous = model_ref_from_json(j["previous"]);
    for (const auto& h : j.value("history", nlohmann::json::array())) {
      HistoryEvent e;
      e.at_s = h.value("at", 0.0);
      e.event = h.value("event", "");
      e.name = h.value("name", "");
      e.sha256 = h.value("sha256", "");
      e.reason = h.value("reason", "");
      s.history.push_back(std::move(e));
    }
  } catch (const std::exception& e) {
    throw std::runtime_error("state file " + file.string() + ": " + e.what());
  }
  return s;
}

void save_agent_state(const std::filesystem::path& file, const AgentState& s) {
  write_file_atomic(file, to_json(s).dump(2) + "\n");
}

}  // namespace edgeml::agent
