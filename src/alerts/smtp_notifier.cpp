#include "alerts/smtp_notifier.hpp"

#include <curl/curl.h>
#include <openssl/evp.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <memory>

#include "alerts/notification.hpp"
#include "common/files.hpp"
#include "common/strings.hpp"

namespace edgeml::alerts {

namespace {

// "Tue, 02 Jan 2026 03:04:05 +0000" (RFC 5322 date-time, UTC).
std::string rfc5322_date(double unix_s) {
  std::time_t t = static_cast<std::time_t>(unix_s);
  std::tm tm{};
  gmtime_r(&t, &tm);
  static const char* days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d +0000", days[tm.tm_wday], tm.tm_mday,
                months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

// A header value: line breaks removed (no header injection), non-ASCII as an RFC 2047 encoded word.
std::string header_value(std::string v) {
  bool ascii = true;
  for (auto& c : v) {
    if (c == '\r' || c == '\n') c = ' ';
    ascii = ascii && static_cast<unsigned char>(c) < 0x80;
  }
  if (ascii) return v;
  std::string b64(4 * ((v.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(b64.data()),
                          reinterpret_cast<const unsigned char*>(v.data()), static_cast<int>(v.size()));
  b64.resize(static_cast<size_t>(n));
  return "=?UTF-8?B?" + b64 + "?=";
}

std::string crlf(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\n') out += '\r';
    out += c;
  }
  return out;
}

std::string host_of(const std::string& url) {
  auto start = url.find("://");
  if (start == std::string::npos) return "";
  start += 3;
  auto end = url.find_first_of("/?", start);
  std::string authority = url.substr(start, end == std::string::npos ? std::string::npos : end - start);
  if (!authority.empty() && authority.front() == '[') return authority.substr(1, authority.find(']') - 1);
  return authority.substr(0, authority.find(':'));
}

struct Upload {
  const std::string* data;
  size_t offset = 0;
};

size_t read_upload(char* buffer, size_t size, size_t count, void* user) {
  auto* u = static_cast<Upload*>(user);
  size_t n = std::min(size * count, u->data->size() - u->offset);
  std::memcpy(buffer, u->data->data() + u->offset, n);
  u->offset += n;
  return n;
}

// Failures that repeat until someone changes the configuration; everything else (no answer, a 4xx "try later") may
// pass on a later attempt.
bool permanent(CURLcode rc, long smtp_code) {
  switch (rc) {
    case CURLE_LOGIN_DENIED:
    case CURLE_USE_SSL_FAILED:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
      return true;
    default:
      return smtp_code >= 500;  // SMTP 5yz: permanent negative completion (RFC 5321 4.2.1)
  }
}

}  // namespace

std::optional<std::string> process_env(const std::string& name) {
  const char* v = std::getenv(name.c_str());
  if (!v) return std::nullopt;
  return std::string(v);
}

std::optional<SmtpSettings> smtp_settings_from_env(const EnvLookup& env) {
  auto url = env("EDGEML_SMTP_URL");
  if (!url || url->empty()) return std::nullopt;
  SmtpSettings s;
  s.url = *url;
  if (s.url.rfind("smtp://", 0) != 0 && s.url.rfind("smtps://", 0) != 0)
    throw FieldError("EDGEML_SMTP_URL", "EDGEML_SMTP_URL must start with smtp:// (STARTTLS) or smtps://");
  if (host_of(s.url).find('@') != std::string::npos || s.url.find('@') != std::string::npos)
    throw FieldError("EDGEML_SMTP_URL",
                     "EDGEML_SMTP_URL must not carry credentials: use EDGEML_SMTP_USER and "
                     "EDGEML_SMTP_PASSWORD");
  if (host_of(s.url).empty()) throw FieldError("EDGEML_SMTP_URL", "EDGEML_SMTP_URL has no host");
  auto from = env("EDGEML_SMTP_FROM");
  if (!from || from->empty() || from->find('@') == std::string::npos ||
      from->find_first_of("\r\n <>") != std::string::npos)
    throw FieldError("EDGEML_SMTP_FROM", "EDGEML_SMTP_FROM must be the sender's bare address (name@domain)");
  s.from = *from;
  s.username = env("EDGEML_SMTP_USER").value_or("");
  if (auto file = env("EDGEML_SMTP_PASSWORD_FILE"); file && !file->empty()) {
    try {
      s.password = read_file(*file);
    } catch (const std::exception&) {
      throw FieldError("EDGEML_SMTP_PASSWORD_FILE", "EDGEML_SMTP_PASSWORD_FILE cannot be read: " + *file);
    }
    if (!s.password.empty() && s.password.back() == '\n') s.password.pop_back();
  } else {
    s.password = env("EDGEML_SMTP_PASSWORD").value_or("");
  }
  if (!s.password.empty() && s.username.empty())
    throw FieldError("EDGEML_SMTP_USER", "a password is set but EDGEML_SMTP_USER is not");
  s.ca_file = env("EDGEML_SMTP_CA_FILE").value_or("");
  std::string starttls = env("EDGEML_SMTP_STARTTLS").value_or("required");
  if (starttls != "required" && starttls != "off")
    throw FieldError("EDGEML_SMTP_STARTTLS", "EDGEML_SMTP_STARTTLS must be 'required' or 'off'");
  s.require_tls = starttls == "required";
  std::string host = host_of(s.url);
  bool loopback = host == "127.0.0.1" || host == "localhost" || host == "::1";
  bool encrypted = s.require_tls || s.url.rfind("smtps://", 0) == 0;
  if (!encrypted && !loopback)
    throw FieldError("EDGEML_SMTP_STARTTLS",
                     "EDGEML_SMTP_STARTTLS=off is only for a relay on this machine (127.0.0.1, localhost, ::1)");
  if (!encrypted && !s.username.empty())
    throw FieldError("EDGEML_SMTP_STARTTLS", "credentials are never sent over an unencrypted connection");
  return s;
}

SmtpNotifier::SmtpNotifier(SmtpSettings settings, const Clock& clock) : settings_(std::move(settings)), clock_(clock) {
  curl_global_init(CURL_GLOBAL_DEFAULT);  // idempotent after the first call; the HTTP client does the same
}

std::string SmtpNotifier::message(const NotifyTarget& target, const Transition& t) const {
  EmailContent content = email_content(t);
  std::string to;
  for (size_t i = 0; i < target.to.size(); ++i) to += (i ? ", " : "") + target.to[i];
  double now = clock_.now_s();
  std::string domain = settings_.from.substr(settings_.from.find('@') + 1);
  std::string id = format_number(t.at_s, 3) + "." + format_number(now, 6) + "." +
                   std::to_string(std::hash<std::string>{}(t.rule + "\n" + t.device)) + "@" + domain;
  std::string head = "Date: " + rfc5322_date(now) + "\n" + "From: " + header_value(settings_.from) + "\n" +
                     "To: " + header_value(to) + "\n" + "Subject: " + header_value(content.subject) + "\n" +
                     "Message-ID: <edgeml." + id + ">\n" + "MIME-Version: 1.0\n" +
                     "Content-Type: text/plain; charset=utf-8\n" + "Content-Transfer-Encoding: 8bit\n" +
                     "X-Edgeml-Alert-Status: " + t.status() + "\n";
  return crlf(head + "\n" + content.body);
}

void SmtpNotifier::send(const NotifyTarget& target, const Transition& t) {
  if (target.kind != NotifyTarget::Kind::email || target.to.empty()) throw DeliveryError(false, "not an email target");
  std::string data = message(target, t);
  std::lock_guard lock(mu_);
  std::unique_ptr<CURL, void (*)(CURL*)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) throw DeliveryError(true, "SMTP: libcurl could not start a session");
  CURL* c = curl.get();
  curl_slist* rcpt = nullptr;
  for (const auto& a : target.to) rcpt = curl_slist_append(rcpt, ("<" + a + ">").c_str());
  std::unique_ptr<curl_slist, void (*)(curl_slist*)> rcpt_guard(rcpt, curl_slist_free_all);
  Upload upload{&data};
  char error[CURL_ERROR_SIZE] = {0};
  std::string mail_from = "<" + settings_.from + ">";
  curl_easy_setopt(c, CURLOPT_URL, settings_.url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  curl_easy_setopt(c, CURLOPT_MAIL_FROM, mail_from.c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
  curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(c, CURLOPT_READFUNCTION, read_upload);
  curl_easy_setopt(c, CURLOPT_READDATA, &upload);
  curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(data.size()));
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(settings_.timeout_s * 1000));
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(settings_.connect_timeout_s * 1000));
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
  if (settings_.require_tls) curl_easy_setopt(c, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
  if (!settings_.ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, settings_.ca_file.c_str());
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
  if (!settings_.username.empty()) {
    curl_easy_setopt(c, CURLOPT_USERNAME, settings_.username.c_str());
    curl_easy_setopt(c, CURLOPT_PASSWORD, settings_.password.c_str());
  }
  CURLcode rc = curl_easy_perform(c);
  if (rc == CURLE_OK) return;
  long code = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
  std::string reason = error[0] ? error : curl_easy_strerror(rc);
  if (!settings_.password.empty())  // never, but a secret must not leave even if a server echoes it
    for (size_t at; (at = reason.find(settings_.password)) != std::string::npos;)
      reason.replace(at, settings_.password.size(), "***");
  std::string where = "SMTP " + settings_.url.substr(0, settings_.url.find('?')) + " for " + target.describe();
  throw DeliveryError(!permanent(rc, code),
                      where + ": " + reason + (code ? " (server answered " + std::to_string(code) + ")" : ""));
}

}  // namespace edgeml::alerts
