// The topic scheme: building, parsing, and refusing topics and prefixes outside it.
#include "wire/topics.hpp"

#include <gtest/gtest.h>

#include "common/error.hpp"
#include "wire/protocol_error.hpp"

namespace edgeml::wire {
namespace {

TEST(WireTopics, BuildAndParse) {
  TopicScheme t("fleet/site-a");
  EXPECT_EQ(t.topic("nano-1", Channel::telemetry), "fleet/site-a/nano-1/telemetry");
  EXPECT_EQ(t.topic("nano-1", Channel::status), "fleet/site-a/nano-1/status");
  EXPECT_EQ(t.topic("nano-1", Channel::command), "fleet/site-a/nano-1/command");
  EXPECT_EQ(t.topic("nano-1", Channel::events), "fleet/site-a/nano-1/events");
  EXPECT_EQ(t.all_devices(Channel::telemetry), "fleet/site-a/+/telemetry");
  EXPECT_EQ(t.shared("controllers", Channel::events), "$share/controllers/fleet/site-a/+/events");
  for (const auto& c : channel_names()) {
    auto p = t.parse(t.topic("pi5.lab_2", c.value));
    EXPECT_EQ(p.device, "pi5.lab_2");
    EXPECT_EQ(p.channel, c.value);
  }
}

TEST(WireTopics, RefusesTopicsOutsideTheScheme) {
  TopicScheme t("edgeml");
  for (std::string bad :
       {"edgeml", "edgeml/", "edgeml/nano-1", "edgeml/nano-1/logs", "other/nano-1/telemetry",
        "edgemlx/nano-1/telemetry", "edgeml/../telemetry", "edgeml/a/b/telemetry", "edgeml//status"}) {
    try {
      t.parse(bad);
      ADD_FAILURE() << bad << " was accepted";
    } catch (const ProtocolError& e) {
      EXPECT_EQ(e.reason(), Refusal::bad_topic) << bad;
      EXPECT_EQ(e.field(), "topic");
    }
  }
  EXPECT_THROW(t.topic("a/b", Channel::status), FieldError);
  EXPECT_THROW(t.topic("+", Channel::status), FieldError);
}

TEST(WireTopics, RefusesBadPrefixes) {
  for (std::string bad :
       std::vector<std::string>{"", "/edgeml", "edgeml/", "a//b", "edge+ml", "#", "$SYS", std::string(129, 'a')})
    EXPECT_THROW(TopicScheme{bad}, FieldError) << bad;
  try {
    TopicScheme bad("a#", "--mqtt-prefix");
  } catch (const FieldError& e) {
    EXPECT_EQ(e.field(), "--mqtt-prefix");
  }
}

}  // namespace
}  // namespace edgeml::wire
