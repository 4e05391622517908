#pragma once
// Email through SMTP with libcurl (smtp:// upgraded with STARTTLS, or smtps://). Credentials come from the
// environment, are handed to libcurl only, and appear in no message, record or log.
#include <functional>
#include <mutex>
#include <optional>
#include <string>

#include "alerts/notifier.hpp"
#include "common/clock.hpp"

namespace edgeml::alerts {

struct SmtpSettings {
  std::string url;                 // smtp://host:port (STARTTLS) or smtps://host:port (TLS from the first byte)
  std::string from;                // envelope sender and From: header
  std::string username, password;  // empty username: no AUTH
  // smtp:// must be upgraded with STARTTLS before anything else is sent (CURLOPT_USE_SSL = CURLUSESSL_ALL). Off only
  // for a relay on the same machine, and never with credentials (checked by smtp_settings_from_env).
  bool require_tls = true;
  std::string ca_file;  // verify the server against this CA (empty: the system's CAs)
  double timeout_s = 30, connect_timeout_s = 10;
};

// A lookup of an environment variable; tests pass their own map instead of the process environment.
using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;
std::optional<std::string> process_env(const std::string& name);

// From EDGEML_SMTP_URL (smtp:// or smtps://), EDGEML_SMTP_FROM, EDGEML_SMTP_USER, EDGEML_SMTP_PASSWORD (or
// EDGEML_SMTP_PASSWORD_FILE, read whole, one trailing newline dropped), EDGEML_SMTP_CA_FILE and
// EDGEML_SMTP_STARTTLS (required | off). nullopt when EDGEML_SMTP_URL is unset: email is not configured. Throws
// FieldError naming the variable when a value is wrong (credentials over a connection that is not encrypted to a
// host other than 127.0.0.1/localhost/::1, a URL with user:password@, a password file that cannot be read).
std::optional<SmtpSettings> smtp_settings_from_env(const EnvLookup& env);

class SmtpNotifier final : public Notifier {
 public:
  // clock: the Date: header.
  SmtpNotifier(SmtpSettings settings, const Clock& clock);
  void send(const NotifyTarget& target, const Transition& t) override;

  // The message as sent (RFC 5322, CRLF line ends): exposed for tests and previews.
  std::string message(const NotifyTarget& target, const Transition& t) const;

 private:
  SmtpSettings settings_;
  const Clock& clock_;
  std::mutex mu_;  // one SMTP session at a time
};

}  // namespace edgeml::alerts
