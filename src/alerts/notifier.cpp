#include "alerts/notifier.hpp"

namespace edgeml::alerts {

void NotifierSet::send(const NotifyTarget& target, const Transition& t) {
  if (target.kind == NotifyTarget::Kind::webhook) {
    if (!webhook_) throw DeliveryError(false, target.describe() + ": webhooks are not enabled");
    webhook_->send(target, t);
    return;
  }
  if (!email_)
    throw DeliveryError(false, target.describe() +
                                   ": email is not configured (set EDGEML_SMTP_URL and "
                                   "EDGEML_SMTP_FROM)");
  email_->send(target, t);
}

}  // namespace edgeml::alerts
