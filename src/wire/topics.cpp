#include "wire/topics.hpp"

#include <array>

#include "common/error.hpp"
#include "common/names.hpp"
#include "wire/protocol_error.hpp"

namespace edgeml::wire {

namespace {
constexpr std::array<EnumName<Channel>, 4> kChannelNames{{
    {Channel::telemetry, "telemetry"},
    {Channel::status, "status"},
    {Channel::command, "command"},
    {Channel::events, "events"},
}};

bool level_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}
}  // namespace

std::span<const EnumName<Channel>> channel_names() { return kChannelNames; }

TopicScheme::TopicScheme(std::string prefix, const std::string& field) : prefix_(std::move(prefix)) {
  if (prefix_.empty() || prefix_.size() > 128) throw FieldError(field, "'" + field + "' must be 1 to 128 characters");
  bool level_start = true;
  for (char c : prefix_) {
    if (c == '/') {
      if (level_start) throw FieldError(field, "'" + field + "' must not have an empty level ('//' or a leading '/')");
      level_start = true;
      continue;
    }
    if (!level_char(c))
      throw FieldError(field, "'" + field + "' may contain only letters, digits, '.', '_', '-' and '/' between levels");
    level_start = false;
  }
  if (level_start) throw FieldError(field, "'" + field + "' must not end with '/'");
}

std::string TopicScheme::topic(const std::string& device, Channel channel) const {
  validate_name(device, "device");
  return prefix_ + "/" + device + "/" + to_string(channel);
}

std::string TopicScheme::all_devices(Channel channel) const { return prefix_ + "/+/" + to_string(channel); }

std::string TopicScheme::shared(const std::string& group, Channel channel) const {
  validate_name(group, "group");
  return "$share/" + group + "/" + all_devices(channel);
}

TopicScheme::Parsed TopicScheme::parse(std::string_view topic) const {
  auto refuse = [&](const std::string& why) -> ProtocolError {
    return ProtocolError(
        Refusal::bad_topic, "topic",
        "topic '" + std::string(topic.substr(0, 200)) + "' " + why + " (expected " + prefix_ + "/<device>/<channel>)");
  };
  if (topic.size() <= prefix_.size() + 1 || topic.substr(0, prefix_.size()) != prefix_ || topic[prefix_.size()] != '/')
    throw refuse("is not under the prefix");
  auto rest = topic.substr(prefix_.size() + 1);
  auto slash = rest.find('/');
  if (slash == std::string_view::npos) throw refuse("has no channel");
  std::string device(rest.substr(0, slash));
  auto channel = rest.substr(slash + 1);
  try {
    validate_name(device, "device");
  } catch (const FieldError&) {
    throw refuse("has no valid device name");
  }
  for (const auto& c : kChannelNames)
    if (channel == c.name) return {device, c.value};
  throw refuse("has an unknown channel");
}

}  // namespace edgeml::wire
