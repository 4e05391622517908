#pragma once
// What a notification says, built once from a transition so every channel tells the same thing: the status ("firing"
// or "resolved"), the rule, the device, the value and the time, plus a one-line summary.
#include <nlohmann/json.hpp>
#include <string>

#include "alerts/evaluator.hpp"
#include "alerts/rule.hpp"

namespace edgeml::alerts {

// The JSON a webhook receives.
//   default:        {"status", "rule", "device", "metric", "unit", "value", "op", "threshold", "severity", "time"
//                    (ISO 8601 UTC), "time_s", "since", "repeat", "detail",
//                    "text"                                   <- Slack incoming webhooks post this
//                    "@type": "MessageCard", "@context", "summary", "title", "themeColor", "sections"
//                                                             <- Teams (Office 365) connectors render this card}
//   teams_workflow: {"type": "message", "attachments": [{"contentType": "application/vnd.microsoft.card.adaptive",
//                    "content": {AdaptiveCard 1.4}}], plus the same status/rule/device/value/time fields}
nlohmann::json webhook_body(const Transition& t, NotifyTarget::Format format);

struct EmailContent {
  std::string subject;  // "[FIRING] hot on edge-1" (no line breaks)
  std::string body;     // plain text, lines of "field: value"
};
EmailContent email_content(const Transition& t);

}  // namespace edgeml::alerts
