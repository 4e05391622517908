#include "mqtt/credentials.hpp"

#include <unistd.h>

#include "common/error.hpp"
#include "common/files.hpp"

namespace edgeml::mqtt {

Credentials credentials_from_env(const Getenv& getenv) {
  auto get = [&](const char* name) -> std::string {
    const char* v = getenv(name);
    return v ? std::string(v) : std::string();
  };
  Credentials c;
  c.username = get("EDGEML_MQTT_USERNAME");
  std::string password = get("EDGEML_MQTT_PASSWORD");
  std::string file = get("EDGEML_MQTT_PASSWORD_FILE");
  if (!password.empty() && !file.empty())
    throw FieldError("EDGEML_MQTT_PASSWORD_FILE", "set EDGEML_MQTT_PASSWORD or EDGEML_MQTT_PASSWORD_FILE, not both");
  if (!file.empty()) {
    try {
      password = read_file(file);
    } catch (const std::exception& e) {
      throw FieldError("EDGEML_MQTT_PASSWORD_FILE", std::string("cannot read the MQTT password file: ") + e.what());
    }
    while (!password.empty() && (password.back() == '\n' || password.back() == '\r')) password.pop_back();
    if (password.empty()) throw FieldError("EDGEML_MQTT_PASSWORD_FILE", "the MQTT password file " + file + " is empty");
  }
  if (!password.empty() && c.username.empty())
    throw FieldError("EDGEML_MQTT_USERNAME", "an MQTT password needs EDGEML_MQTT_USERNAME");
  c.password = std::move(password);
  return c;
}

void check_tls_files(const TlsFiles& f) {
  auto readable = [](const std::filesystem::path& p, const std::string& field) {
    if (!p.empty() && ::access(p.c_str(), R_OK) != 0)
      throw FieldError(field, "'" + field + "': cannot read " + p.string());
  };
  readable(f.ca_file, "ca_file");
  readable(f.cert_file, "cert_file");
  readable(f.key_file, "key_file");
  if (f.cert_file.empty() != f.key_file.empty())
    throw FieldError(f.cert_file.empty() ? "cert_file" : "key_file",
                     "a client certificate needs its key file and the reverse");
}

}  // namespace edgeml::mqtt
