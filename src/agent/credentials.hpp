#pragma once
// The agent's own credentials, made on its first start with an enrollment token and kept in <state>/credentials.json
// (0600, replaced atomically; refused when opened up to others):
//   device_token  what the agent presents to the controller (the controller keeps only its hash)
//   agent_token   what the controller presents to the agent (accepted like EDGEML_AGENT_TOKEN)
// and what the controller last answered about the enrollment. Made here rather than handed out by the controller,
// so no secret ever travels from the controller to the device, and a restart keeps the same identity.
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

namespace edgeml::agent {

struct AgentCredentials {
  std::string device_token, agent_token;
  std::string controller;       // the controller URL the enrollment went to
  long long enrollment_id = 0;  // 0 until the controller answered
  std::string status;           // "" (not asked yet) | pending | accepted | rejected | revoked
};

// Reads <state>/credentials.json, or makes new tokens and writes it. Throws Error(unavailable) naming the file when it
// is unreadable, malformed or open to others.
AgentCredentials load_or_create_credentials(const std::filesystem::path& state_dir);
void save_credentials(const std::filesystem::path& state_dir, const AgentCredentials& c);

}  // namespace edgeml::agent
