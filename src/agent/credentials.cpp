#include "agent/credentials.hpp"

#include "common/error.hpp"
#include "secrets/secret_files.hpp"
#include "secrets/tokens.hpp"

namespace edgeml::agent {

namespace {
std::filesystem::path file_in(const std::filesystem::path& state_dir) { return state_dir / "credentials.json"; }
}  // namespace

void save_credentials(const std::filesystem::path& state_dir, const AgentCredentials& c) {
  nlohmann::json j{{"device_token", c.device_token},
                   {"agent_token", c.agent_token},
                   {"controller", c.controller},
                   {"enrollment_id", c.enrollment_id},
                   {"status", c.status}};
  secrets::write_secret_file(file_in(state_dir), j.dump(2) + "\n");
}

AgentCredentials load_or_create_credentials(const std::filesystem::path& state_dir) {
  const auto file = file_in(state_dir);
  std::string text;
  try {
    text = secrets::read_secret_file(file);
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::not_found) throw;
    AgentCredentials fresh;
    fresh.device_token = secrets::random_token("emd");
    fresh.agent_token = secrets::random_token("ema");
    std::filesystem::create_directories(state_dir);
    save_credentials(state_dir, fresh);
    return fresh;
  }
  auto j = nlohmann::json::parse(text, nullptr, false);
  AgentCredentials c;
  try {
    if (!j.is_object()) throw std::runtime_error("not a JSON object");
    c.device_token = j.at("device_token").get<std::string>();
    c.agent_token = j.at("agent_token").get<std::string>();
    c.controller = j.value("controller", "");
    c.enrollment_id = j.value("enrollment_id", 0LL);
    c.status = j.value("status", "");
    secrets::validate_token_text(c.device_token, "device_token");
    secrets::validate_token_text(c.agent_token, "agent_token");
  } catch (const std::exception& e) {
    throw Error(ErrorKind::unavailable,
                file.string() + " is damaged (" + e.what() + "): remove it to enroll again as a new device",
                file.string());
  }
  return c;
}

}  // namespace edgeml::agent
