#include "alerts/notification.hpp"

#include <cctype>

#include "common/strings.hpp"

namespace edgeml::alerts {

namespace {

using nlohmann::json;

std::string value_text(const Transition& t) {
  if (!t.value) return "none";
  std::string unit = info(t.metric).unit;
  return format_number(*t.value, 6) + (unit.empty() ? "" : " " + unit);
}

std::string condition_text(const Transition& t) {
  if (t.op && t.threshold)
    return std::string(info(t.metric).name) + " " + to_string(*t.op) + " " + format_number(*t.threshold, 6);
  return info(t.metric).name;
}

// Red while firing (by severity), green once resolved: Teams shows it as the card's accent.
const char* theme_color(const Transition& t) {
  if (t.kind == TransitionKind::resolved) return "2EB886";
  switch (t.severity) {
    case Severity::critical:
      return "D93F0B";
    case Severity::warning:
      return "F2C744";
    case Severity::info:
      return "439FE0";
  }
  return "F2C744";
}

std::string title(const Transition& t) {
  std::string status = t.status();
  for (auto& c : status) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return "[" + status + "] " + t.rule + " on " + t.device;
}

// Facts shown by both Teams card kinds, in the same order.
std::vector<std::pair<std::string, std::string>> facts(const Transition& t) {
  std::vector<std::pair<std::string, std::string>> f = {
      {"Status", t.status()},       {"Rule", t.rule},
      {"Device", t.device},         {"Condition", condition_text(t)},
      {"Value", value_text(t)},     {"Severity", to_string(t.severity)},
      {"Time", format_utc(t.at_s)}, {"Active since", format_utc(t.since_s)}};
  if (!t.detail.empty()) f.push_back({"Detail", t.detail});
  return f;
}

json common_fields(const Transition& t) {
  const MetricInfo& m = info(t.metric);
  return {{"status", t.status()},
          {"rule", t.rule},
          {"device", t.device},
          {"metric", m.name},
          {"unit", m.unit},
          {"value", t.value ? json(*t.value) : json(nullptr)},
          {"op", t.op ? json(to_string(*t.op)) : json(nullptr)},
          {"threshold", t.threshold ? json(*t.threshold) : json(nullptr)},
          {"severity", to_string(t.severity)},
          {"time", format_utc(t.at_s)},
          {"time_s", t.at_s},
          {"since", format_utc(t.since_s)},
          {"repeat", t.repeat},
          {"detail", t.detail}};
}

}  // namespace

json webhook_body(const Transition& t, NotifyTarget::Format format) {
  json body = common_fields(t);
  if (format == NotifyTarget::Format::teams_workflow) {
    json card_facts = json::array();
    for (const auto& [name, value] : facts(t)) card_facts.push_back({{"title", name}, {"value", value}});
    json card = {
        {"$schema", "http://adaptivecards.io/schemas/adaptive-card.json"},
        {"type", "AdaptiveCard"},
        {"version", "1.4"},
        {"body",
         {{{"type", "TextBlock"}, {"text", title(t)}, {"weight", "Bolder"}, {"size", "Medium"}, {"wrap", true}},
          {{"type", "TextBlock"}, {"text", t.summary()}, {"wrap", true}},
          {{"type", "FactSet"}, {"facts", card_facts}}}}};
    body["type"] = "message";
    body["attachments"] = {{{"contentType", "application/vnd.microsoft.card.adaptive"}, {"content", card}}};
    return body;
  }
  body["text"] = title(t) + ": " + t.summary();
  json section_facts = json::array();
  for (const auto& [name, value] : facts(t)) section_facts.push_back({{"name", name}, {"value", value}});
  body["@type"] = "MessageCard";
  body["@context"] = "https://schema.org/extensions";
  body["summary"] = title(t);
  body["title"] = title(t);
  body["themeColor"] = theme_color(t);
  body["sections"] = {{{"activityTitle", t.summary()}, {"facts", section_facts}, {"markdown", false}}};
  return body;
}

EmailContent email_content(const Transition& t) {
  EmailContent e;
  e.subject = title(t);
  e.body = t.summary() + "\n\n";
  for (const auto& [name, value] : facts(t)) e.body += name + ": " + value + "\n";
  e.body += "\n-- edgeml alerts\n";
  return e;
}

}  // namespace edgeml::alerts
