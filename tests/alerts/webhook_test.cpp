// Webhook notifications to a real receiver on 127.0.0.1: the body (status, rule, device, value, time; Slack's text;
// the Teams MessageCard and Adaptive Card), retries with exponential backoff on 5xx, no retry on 4xx, giving up on a
// receiver that is not there, records that never show a webhook's secret path, and deliveries resumed after a
// restart.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "alerts/delivery_queue.hpp"
#include "alerts/evaluator.hpp"
#include "alerts/webhook_notifier.hpp"
#include "common/clock.hpp"
#include "webhook_receiver.hpp"

namespace edgeml::alerts {
namespace {

using nlohmann::json;

// A port nothing listens on (bound, then closed).
int closed_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(fd);
  return ntohs(a.sin_port);
}

AlertRule hot_rule(const std::string& url, const std::string& format = "default") {
  return parse_rule({{"name", "hot"},
                     {"metric", "temperature_c"},
                     {"op", ">"},
                     {"threshold", 35},
                     {"device", "edge-1"},
                     {"severity", "critical"},
                     {"notify", {{{"webhook", url}, {"format", format}}}}});
}

struct Pipeline {
  ManualClock clock{1'700'000'000};
  WebhookNotifier webhook{WebhookOptions{.timeout_s = 5, .connect_timeout_s = 2, .tls = {}}};
  NotifierSet notifiers{&webhook, nullptr};
  RetryPolicy policy{.max_attempts = 4, .first_backoff_s = 5, .backoff_factor = 2, .max_backoff_s = 600};
  DeliveryQueue queue{notifiers, clock, policy};
  AlertEvaluator evaluator;

  // Feeds a temperature and queues what it caused; returns the transitions.
  std::vector<Transition> feed(double celsius) {
    auto ts = evaluator.observe(Observation{"edge-1", Metric::temperature_c, celsius, clock.now_s()});
    for (const auto& t : ts) queue.enqueue(*evaluator.rule(t.rule), t);
    return ts;
  }
};

TEST(WebhookDelivery, FiringAndResolvedBodiesCarryTheFieldsAndSlackAndTeamsParts) {
  testing::WebhookReceiver rx;
  Pipeline s;
  s.evaluator.set_rules({hot_rule(rx.url("/hook/secret-token"))}, s.clock.now_s());
  ASSERT_EQ(s.feed(36.5).size(), 1u);
  auto done = s.queue.run_due();
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0].status, Delivery::Status::delivered);
  s.clock.advance(60);
  ASSERT_EQ(s.feed(30).size(), 1u);
  s.queue.run_due();

  auto got = rx.requests();
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].content_type, "application/json");
  json firing = json::parse(got[0].body), resolved = json::parse(got[1].body);
  EXPECT_EQ(firing["status"], "firing");
  EXPECT_EQ(firing["rule"], "hot");
  EXPECT_EQ(firing["device"], "edge-1");
  EXPECT_EQ(firing["value"], 36.5);
  EXPECT_EQ(firing["time"], "2023-11-14T22:13:20Z");
  EXPECT_EQ(firing["time_s"], 1'700'000'000);
  EXPECT_EQ(firing["metric"], "temperature_c");
  EXPECT_EQ(firing["unit"], "°C");
  EXPECT_EQ(firing["threshold"], 35);
  EXPECT_EQ(firing["severity"], "critical");
  // Slack incoming webhooks post "text".
  EXPECT_EQ(firing["text"],
            "[FIRING] hot on edge-1: hot: temperature_c 36.5 °C > 35 on edge-1 (firing since "
            "2023-11-14T22:13:20Z)");
  // Teams connectors render a MessageCard: @type, @context, summary, themeColor and facts.
  EXPECT_EQ(firing["@type"], "MessageCard");
  EXPECT_EQ(firing["@context"], "https://schema.org/extensions");
  EXPECT_EQ(firing["summary"], "[FIRING] hot on edge-1");
  EXPECT_EQ(firing["themeColor"], "D93F0B");
  const json& facts = firing["sections"][0]["facts"];
  ASSERT_GE(facts.size(), 7u);
  EXPECT_EQ(facts[0], (json{{"name", "Status"}, {"value", "firing"}}));
  EXPECT_EQ(facts[4], (json{{"name", "Value"}, {"value", "36.5 °C"}}));

  EXPECT_EQ(resolved["status"], "resolved");
  EXPECT_EQ(resolved["value"], 30);
  EXPECT_EQ(resolved["time"], "2023-11-14T22:14:20Z");
  EXPECT_EQ(resolved["since"], "2023-11-14T22:13:20Z");
  EXPECT_EQ(resolved["themeColor"], "2EB886");
  EXPECT_EQ(resolved["summary"], "[RESOLVED] hot on edge-1");
}

TEST(WebhookDelivery, TeamsWorkflowFormatWrapsAnAdaptiveCard) {
  testing::WebhookReceiver rx;
  Pipeline s;
  s.evaluator.set_rules({hot_rule(rx.url("/hook/secret-token"), "teams_workflow")}, s.clock.now_s());
  s.feed(40);
  s.queue.run_due();
  auto got = rx.requests();
  ASSERT_EQ(got.size(), 1u);
  json body = json::parse(got[0].body);
  EXPECT_EQ(body["type"], "message");
  EXPECT_EQ(body["status"], "firing");
  EXPECT_EQ(body["device"], "edge-1");
  ASSERT_EQ(body["attachments"].size(), 1u);
  EXPECT_EQ(body["attachments"][0]["contentType"], "application/vnd.microsoft.card.adaptive");
  const json& card = body["attachments"][0]["content"];
  EXPECT_EQ(card["type"], "AdaptiveCard");
  EXPECT_EQ(card["version"], "1.4");
  EXPECT_EQ(card["body"][0]["text"], "[FIRING] hot on edge-1");
  EXPECT_EQ(card["body"][2]["type"], "FactSet");
  EXPECT_EQ(card["body"][2]["facts"][4], (json{{"title", "Value"}, {"value", "40 °C"}}));
  EXPECT_FALSE(body.contains("@type"));
}

TEST(WebhookDelivery, RetriesA5xxWithExponentialBackoffAndRecordsEveryAttempt) {
  testing::WebhookReceiver rx(2);  // 503 twice, then 200
  Pipeline s;
  s.evaluator.set_rules({hot_rule(rx.url("/flaky"))}, s.clock.now_s());
  s.feed(40);
  double start = s.clock.now_s();
  auto first = s.queue.run_due();
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].status, Delivery::Status::pending);
  EXPECT_EQ(first[0].next_attempt_s, start + 5);
  EXPECT_EQ(s.queue.next_due_s(), start + 5);
  s.clock.advance(4.9);
  EXPECT_TRUE(s.queue.run_due().empty());  // not due yet
  s.clock.set(start + 5);
  auto second = s.queue.run_due();
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].next_attempt_s, start + 5 + 10);  // doubled
  s.clock.set(start + 15);
  auto third = s.queue.run_due();
  ASSERT_EQ(third.size(), 1u);
  EXPECT_EQ(third[0].status, Delivery::Status::delivered);
  EXPECT_FALSE(s.queue.next_due_s());

  const Delivery d = *s.queue.delivery(third[0].id);
  ASSERT_EQ(d.attempts.size(), 3u);
  EXPECT_FALSE(d.attempts[0].ok);
  EXPECT_TRUE(d.attempts[0].retryable);
  EXPECT_NE(d.attempts[0].error.find("answered HTTP 503: busy, try later"), std::string::npos) << d.attempts[0].error;
  EXPECT_EQ(d.attempts[1].at_s, start + 5);
  EXPECT_TRUE(d.attempts[2].ok);
  EXPECT_EQ(rx.requests().size(), 3u);
  json shown = to_json(d);
  EXPECT_EQ(shown["status"], "delivered");
  EXPECT_EQ(shown["attempts"].size(), 3u);
  EXPECT_EQ(shown["last_error"], "");
}

TEST(WebhookDelivery, A4xxAnswerIsNotRetried) {
  testing::WebhookReceiver rx;
  Pipeline s;
  s.evaluator.set_rules({hot_rule(rx.url("/gone"))}, s.clock.now_s());
  s.feed(40);
  auto done = s.queue.run_due();
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0].status, Delivery::Status::failed);
  ASSERT_EQ(done[0].attempts.size(), 1u);
  EXPECT_FALSE(done[0].attempts[0].retryable);
  EXPECT_NE(done[0].attempts[0].error.find("answered HTTP 404: no such hook"), std::string::npos)
      << done[0].attempts[0].error;
  s.clock.advance(3600);
  EXPECT_TRUE(s.queue.run_due().empty());
  EXPECT_EQ(rx.requests().size(), 1u);
}

TEST(WebhookDelivery, GivesUpOnAMissingReceiverAndNeverShowsTheSecretPath) {
  Pipeline s;
  std::string url = "http://127.0.0.1:" + std::to_string(closed_port()) + "/hook/secret-token";
  s.evaluator.set_rules({hot_rule(url)}, s.clock.now_s());
  s.feed(40);
  double start = s.clock.now_s();
  std::vector<double> attempt_times;
  for (int i = 0; i < 10 && s.queue.next_due_s(); ++i) {
    s.clock.set(*s.queue.next_due_s());
    for (const auto& d : s.queue.run_due()) attempt_times.push_back(d.attempts.back().at_s - start);
  }
  EXPECT_EQ(attempt_times, (std::vector<double>{0, 5, 15, 35}));  // waits of 5, 10, 20 s; 4 attempts in all
  auto all = s.queue.deliveries();
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].status, Delivery::Status::failed);
  EXPECT_NE(all[0].attempts.back().error.find("gave up after 4 attempts"), std::string::npos);
  std::string shown = to_json(all[0]).dump();
  EXPECT_EQ(shown.find("secret-token"), std::string::npos) << shown;
  EXPECT_NE(shown.find("webhook http://127.0.0.1:"), std::string::npos) << shown;
}

TEST(WebhookDelivery, APendingDeliveryResumesAfterARestart) {
  testing::WebhookReceiver rx(1);  // the first attempt fails; the one after the restart succeeds
  json stored;
  {
    Pipeline s;
    s.evaluator.set_rules({hot_rule(rx.url("/flaky"))}, s.clock.now_s());
    s.feed(40);
    s.queue.run_due();
    stored = json::parse(s.queue.persisted().dump());
  }
  Pipeline after;
  after.queue.restore(stored);
  ASSERT_EQ(after.queue.deliveries().size(), 1u);
  after.clock.advance(5);
  auto done = after.queue.run_due();
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0].status, Delivery::Status::delivered);
  EXPECT_EQ(done[0].attempts.size(), 2u);
  EXPECT_EQ(rx.requests().size(), 2u);
  // New deliveries do not reuse a restored id.
  after.evaluator.set_rules({hot_rule(rx.url("/flaky"))}, after.clock.now_s());
  ASSERT_EQ(after.feed(50).size(), 1u);
  EXPECT_GT(after.queue.deliveries().back().id, done[0].id);
  json broken = stored;
  broken["deliveries"][0]["target"] = {{"webhook", "ftp://x"}};
  try {
    after.queue.restore(broken);
    FAIL();
  } catch (const FieldError& e) {
    EXPECT_EQ(e.field(), "deliveries[0].target.webhook");
  }
}

TEST(WebhookDelivery, EmailWithoutSmtpConfiguredFailsAtOnceSayingWhatToSet) {
  Pipeline s;
  AlertRule r = parse_rule({{"name", "hot"},
                            {"metric", "temperature_c"},
                            {"op", ">"},
                            {"threshold", 35},
                            {"notify", {{{"email", "ops@example.org"}}}}});
  s.evaluator.set_rules({r}, s.clock.now_s());
  s.feed(40);
  auto done = s.queue.run_due();
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0].status, Delivery::Status::failed);
  EXPECT_NE(done[0].attempts[0].error.find("EDGEML_SMTP_URL"), std::string::npos);
}

TEST(WebhookDelivery, PendingTransitionsAreNotAnnounced) {
  Pipeline s;
  AlertRule r = hot_rule("http://127.0.0.1:1/x");
  r.for_s = 60;
  s.evaluator.set_rules({r}, s.clock.now_s());
  auto ts = s.feed(40);
  ASSERT_EQ(ts.size(), 1u);
  EXPECT_EQ(ts[0].kind, TransitionKind::pending);
  EXPECT_TRUE(s.queue.deliveries().empty());
}

TEST(WebhookDelivery, AStormWhileTheReceiverIsDownKeepsTheQueueBounded) {
  ManualClock clock;
  WebhookNotifier webhook;
  NotifierSet notifiers(&webhook, nullptr);
  DeliveryQueue queue(notifiers, clock, RetryPolicy{}, /*keep_finished=*/5, /*max_pending=*/10);
  AlertRule r = hot_rule("http://127.0.0.1:" + std::to_string(closed_port()) + "/hook");
  Transition t;
  t.rule = "hot";
  t.device = "edge-1";
  for (int i = 0; i < 100; ++i) {
    t.at_s = clock.now_s() + i;
    queue.enqueue(r, t);
  }
  auto all = queue.deliveries();
  EXPECT_EQ(all.size(), 15u);  // 10 pending + the 5 most recent given up
  size_t pending = 0;
  for (const auto& d : all) pending += d.status == Delivery::Status::pending;
  EXPECT_EQ(pending, 10u);
  EXPECT_EQ(all.back().transition.at_s, clock.now_s() + 99);  // the newest are the ones kept
  EXPECT_NE(all.front().attempts.at(0).error.find("more than 10 deliveries pending"), std::string::npos);
}

}  // namespace
}  // namespace edgeml::alerts
