#pragma once
// Webhooks through the project's one HTTP client: POST of webhook_body() as application/json. A 2xx answer is a
// delivery; 408, 429 and 5xx, timeouts and refused connections are retryable; any other status is not.
#include <memory>
#include <mutex>

#include "alerts/notifier.hpp"
#include "http/client.hpp"

namespace edgeml::alerts {

struct WebhookOptions {
  double timeout_s = 10;
  double connect_timeout_s = 5;
  http::TlsClientOptions tls;  // a private CA for https receivers
};

class WebhookNotifier final : public Notifier {
 public:
  explicit WebhookNotifier(WebhookOptions options = {});
  void send(const NotifyTarget& target, const Transition& t) override;

 private:
  WebhookOptions options_;
  std::mutex mu_;  // one Client, one request at a time (a Client is not shared between threads)
  http::Client client_;
};

}  // namespace edgeml::alerts
