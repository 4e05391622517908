#include "agent/enroller.hpp"

#include <unistd.h>

#include <algorithm>

#include "agent/version.hpp"
#include "common/error.hpp"
#include "common/log.hpp"
#include "common/strings.hpp"

namespace edgeml::agent {

std::string check_controller_url(const std::string& url) {
  std::string u = url;
  while (!u.empty() && u.back() == '/') u.pop_back();
  bool scheme = u.rfind("http://", 0) == 0 || u.rfind("https://", 0) == 0;
  auto rest = scheme ? u.substr(u.find("://") + 3) : "";
  if (!scheme || rest.empty() || rest.find_first_of("/?#@ ") != std::string::npos)
    throw FieldError("--controller", "--controller must be http(s)://HOST[:PORT] (the controller's address), got '" +
                                         url.substr(0, 128) + "'");
  http::require_header_safe(u, "--controller");
  return u;
}

Enroller::Enroller(EnrollSettings settings, DeviceIdentity identity, std::filesystem::path state_dir,
                   AgentCredentials credentials)
    : settings_(std::move(settings)),
      identity_(std::move(identity)),
      state_dir_(std::move(state_dir)),
      credentials_(std::move(credentials)) {}

Enroller::~Enroller() { stop(); }

void Enroller::start(int listen_port) {
  port_ = listen_port;
  thread_ = std::thread([this] { run(); });
}

void Enroller::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

nlohmann::json Enroller::status() const {
  std::lock_guard lock(mu_);
  return {{"controller", settings_.controller_url},
          {"status", credentials_.status.empty() ? "not asked yet" : credentials_.status},
          {"enrollment_id", credentials_.enrollment_id ? nlohmann::json(credentials_.enrollment_id) : nlohmann::json()},
          {"name", settings_.name},
          {"device_type", identity_.device_type},
          {"model", identity_.model},
          {"model_source", identity_.model_source},
          {"last_error", last_error_.empty() ? nlohmann::json() : nlohmann::json(last_error_)}};
}

void Enroller::set(const std::string& status, long long id, const std::string& error) {
  std::lock_guard lock(mu_);
  bool changed = status != credentials_.status || id != credentials_.enrollment_id;
  if (!status.empty()) credentials_.status = status;
  if (id) credentials_.enrollment_id = id;
  credentials_.controller = settings_.controller_url;
  last_error_ = error;
  if (changed) {
    try {
      save_credentials(state_dir_, credentials_);
    } catch (const std::exception& e) {
      last_error_ = std::string("cannot save the enrollment state: ") + e.what();
    }
  }
}

double Enroller::attempt(http::Client& client) {
  nlohmann::json body{{"name", settings_.name},
                      {"machine_id", identity_.machine_id},
                      {"device_type", identity_.device_type},
                      {"model", identity_.model},
                      {"agent_version", kAgentVersion},
                      {"device_token", credentials_.device_token},
                      {"agent_token", credentials_.agent_token}};
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) == 0) body["hostname"] = std::string(host);
  if (settings_.advertise.empty())
    body["port"] = port_;
  else
    body["address"] = settings_.advertise;
  http::ClientRequest r;
  r.method = "POST";
  r.url = settings_.controller_url + "/api/enroll";
  r.headers.add("Authorization", "Bearer " + settings_.enroll_token);
  r.headers.add("Content-Type", "application/json");
  r.body = body.dump();
  r.timeout_s = 15;
  http::ClientResponse answer;
  try {
    answer = client.send(r);
  } catch (const Error& e) {
    set("", 0, std::string("the controller did not answer: ") + e.what());
    return settings_.interval_s;
  }
  auto j = nlohmann::json::parse(answer.body, nullptr, false);
  if (answer.status == 200 || answer.status == 202) {
    auto e = j.is_object() ? j.value("enrollment", nlohmann::json::object()) : nlohmann::json::object();
    std::string status = e.is_object() ? e.value("status", "") : "";
    long long id = e.is_object() ? e.value("id", 0LL) : 0;
    if (status.empty()) {
      set("", 0, "the controller's answer has no enrollment status");
      return settings_.interval_s;
    }
    set(status, id, "");
    return status == "pending" ? settings_.interval_s : -1;
  }
  std::string why = j.is_object() && j.contains("error") && j["error"].is_string()
                        ? j["error"].get<std::string>()
                        : "HTTP " + std::to_string(answer.status);
  set("", 0, "the controller refused the enrollment (HTTP " + std::to_string(answer.status) + "): " + why);
  if (answer.status == 429) {
    auto retry = parse_double(answer.headers.get("Retry-After"));
    return std::max(settings_.interval_s, retry.value_or(60));
  }
  // A wrong enrollment token or a bad field does not fix itself: ask again, but rarely.
  return std::max(settings_.interval_s, 300.0);
}

void Enroller::run() {
  http::Client client(settings_.tls);
  std::string last_logged;
  for (;;) {
    double wait_s = attempt(client);
    auto s = status();
    std::string line =
        s["status"].get<std::string>() + (s["last_error"].is_string() ? ": " + s["last_error"].get<std::string>() : "");
    if (line != last_logged) {
      (s["last_error"].is_string() ? log::warn : log::info)(
          "agent", "enrollment with " + settings_.controller_url + ": " + line);
      last_logged = line;
    }
    if (wait_s < 0) return;  // accepted, rejected or revoked: nothing more to ask
    std::unique_lock lock(mu_);
    if (cv_.wait_for(lock, std::chrono::duration<double>(wait_s), [&] { return stopping_; })) return;
  }
}

}  // namespace edgeml::agent
