#include "alerts/webhook_notifier.hpp"

#include "alerts/notification.hpp"
#include "common/strings.hpp"

namespace edgeml::alerts {

namespace {

// The client names the URL in its errors; a webhook's path is often its secret (Slack, Teams), so every mention of
// it is replaced by the target's description.
std::string redact(std::string message, const NotifyTarget& target) {
  std::string url = target.url.substr(0, target.url.find('?'));
  for (size_t at; !url.empty() && (at = message.find(url)) != std::string::npos;)
    message.replace(at, url.size(), target.describe());
  return message;
}

// A certificate that does not verify fails the same way on every attempt.
bool is_tls_verification_failure(const std::string& message) {
  return contains_ci(message, "certificate") || contains_ci(message, "SSL peer");
}

}  // namespace

WebhookNotifier::WebhookNotifier(WebhookOptions options) : options_(std::move(options)), client_(options_.tls) {}

void WebhookNotifier::send(const NotifyTarget& target, const Transition& t) {
  if (target.kind != NotifyTarget::Kind::webhook) throw DeliveryError(false, "not a webhook target");
  http::ClientRequest req;
  req.method = "POST";
  req.url = target.url;
  req.headers.set("Content-Type", "application/json");
  req.body = webhook_body(t, target.format).dump();
  req.timeout_s = options_.timeout_s;
  req.connect_timeout_s = options_.connect_timeout_s;
  // Receivers answer "ok" or a short error: the first 200 bytes are kept for the record, the rest is not stored.
  std::string answer;
  req.on_body = [&answer](int, const char* data, size_t size) {
    if (answer.size() < 200) answer.append(data, std::min(size, 200 - answer.size()));
    return true;
  };
  http::ClientResponse res;
  try {
    std::lock_guard lock(mu_);
    res = client_.send(req);
  } catch (const Error& e) {
    // No answer: refused, reset, timed out, TLS failure. The client's message has curl's reason and no header value.
    std::string message = redact(e.what(), target);
    throw DeliveryError(!is_tls_verification_failure(message), message);
  }
  if (res.status >= 200 && res.status < 300) return;
  bool retryable = res.status == 408 || res.status == 429 || res.status >= 500;
  for (auto& c : answer)
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  throw DeliveryError(retryable, target.describe() + " answered HTTP " + std::to_string(res.status) +
                                     (answer.empty() ? "" : ": " + answer));
}

}  // namespace edgeml::alerts
