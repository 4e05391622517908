#pragma once
// What a client presents to the broker: a user name and password (from the environment or a file, never a flag that
// shows in `ps`), and for mqtts:// the CA that signs the broker and optionally a client certificate and key (per-device
// identity, as AWS IoT or Azure IoT Hub require).
#include <filesystem>
#include <functional>
#include <string>

namespace edgeml::mqtt {

struct Credentials {
  std::string username;  // empty: anonymous
  std::string password;  // never logged
};

struct TlsFiles {
  std::filesystem::path ca_file;    // PEM; empty = the system's CA folder (/etc/ssl/certs)
  std::filesystem::path cert_file;  // client certificate (PEM), with key_file
  std::filesystem::path key_file;
};

using Getenv = std::function<const char*(const char*)>;

// EDGEML_MQTT_USERNAME, and EDGEML_MQTT_PASSWORD or EDGEML_MQTT_PASSWORD_FILE (the password is the file's content
// without its trailing newline). Throws FieldError naming the variable: both password variables set, a password without
// a user name, an unreadable or empty password file.
Credentials credentials_from_env(const Getenv& getenv);

// Throws FieldError(field of the file) for a file that is not readable, or a certificate without its key (or the
// reverse). The contents are checked by OpenSSL at connect time.
void check_tls_files(const TlsFiles& files);

}  // namespace edgeml::mqtt
