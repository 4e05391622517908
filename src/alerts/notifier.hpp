#pragma once
// One interface for every way of telling someone about an alert. The delivery queue (delivery_queue.hpp) calls it,
// records each attempt, and retries what may succeed later.
#include <string>

#include "alerts/evaluator.hpp"
#include "alerts/rule.hpp"
#include "common/error.hpp"

namespace edgeml::alerts {

// A failed delivery. retryable: the same attempt may succeed later (no answer, timeout, 5xx, 429, a server that
// refused the connection); not retryable: it will fail the same way until someone changes something (4xx from a
// webhook, SMTP login denied, STARTTLS not offered, a certificate that does not verify, nothing configured).
// The message names the target as NotifyTarget::describe() does and never carries a secret.
class DeliveryError : public Error {
 public:
  DeliveryError(bool retryable, const std::string& message)
      : Error(ErrorKind::upstream_failed, message), retryable_(retryable) {}
  bool retryable() const { return retryable_; }

 private:
  bool retryable_;
};

class Notifier {
 public:
  virtual ~Notifier() = default;
  // Delivers one transition to one target; throws DeliveryError when it does not arrive.
  virtual void send(const NotifyTarget& target, const Transition& t) = 0;
};

// Sends each target to the notifier of its kind; a kind with none configured fails (not retryable) saying so.
class NotifierSet final : public Notifier {
 public:
  NotifierSet(Notifier* webhook, Notifier* email) : webhook_(webhook), email_(email) {}
  void send(const NotifyTarget& target, const Transition& t) override;

 private:
  Notifier* webhook_;
  Notifier* email_;
};

}  // namespace edgeml::alerts
