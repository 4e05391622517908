// The command journal: a command id runs once, across redeliveries and restarts; expired commands are refused; a
// command cut short by a restart is reported unfinished; a torn line is repaired; old entries are forgotten.
#include "spool/command_journal.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "common/files.hpp"
#include "spool_test_support.hpp"
#include "wire/payload.hpp"

namespace edgeml::spool {
namespace {
using testing::TempDir;

wire::Command command(const std::string& id, double issued, double lifetime_s = 600) {
  return {id, "nano-1", issued, issued + lifetime_s, wire::RollbackPayload{}};
}

wire::Event outcome(const std::string& id, double at, wire::EventKind kind = wire::EventKind::succeeded) {
  wire::Event e;
  e.device = "nano-1";
  e.command_id = id;
  e.kind = kind;
  e.at = at;
  if (kind == wire::EventKind::failed || kind == wire::EventKind::rejected) {
    e.failure = wire::FailureKind::expired;
    e.message = "expired before it arrived";
  }
  return e;
}

TEST(CommandJournal, RunsAnIdOnceAndAnswersRepeatsWithTheOutcome) {
  TempDir d;
  ManualClock clock;
  CommandJournal j(d / "commands.jsonl", clock);
  auto c = command("rollback-7", clock.now_s());
  EXPECT_EQ(j.admit(c).admission, Admission::run);
  EXPECT_EQ(j.admit(c).admission, Admission::in_progress);  // redelivered while running
  j.record_outcome(outcome(c.id, clock.now_s()));
  auto again = j.admit(c);
  EXPECT_EQ(again.admission, Admission::done);
  ASSERT_TRUE(again.outcome);
  EXPECT_EQ(again.outcome->kind, wire::EventKind::succeeded);
  EXPECT_THROW(j.record_outcome([&] {
    auto e = outcome(c.id, clock.now_s());
    e.kind = wire::EventKind::progress;
    e.step = wire::DeployStep::transfer;
    return e;
  }()),
               std::invalid_argument);
}

TEST(CommandJournal, RemembersAcrossARestartAndListsWhatWasCutShort) {
  TempDir d;
  ManualClock clock;
  auto done = command("deploy-1", clock.now_s());
  auto cut = command("deploy-2", clock.now_s());
  {
    CommandJournal j(d / "commands.jsonl", clock);
    j.admit(done);
    j.record_outcome(outcome(done.id, clock.now_s()));
    j.admit(cut);  // the agent dies while running it
  }
  CommandJournal j(d / "commands.jsonl", clock);
  EXPECT_EQ(j.admit(done).admission, Admission::done);
  EXPECT_EQ(j.admit(cut).admission, Admission::in_progress);
  EXPECT_EQ(j.unfinished(), std::vector<std::string>{"deploy-2"});
  EXPECT_EQ(j.damaged_lines(), 0u);
}

TEST(CommandJournal, RefusesExpiredCommandsAndRemembersTheAnswer) {
  TempDir d;
  ManualClock clock;
  CommandJournal j(d / "commands.jsonl", clock);
  auto old = command("bench-3", clock.now_s() - 700);  // expired 100 s ago
  EXPECT_EQ(j.admit(old).admission, Admission::expired);
  j.record_outcome(outcome(old.id, clock.now_s(), wire::EventKind::rejected));
  auto replay = j.admit(old);
  EXPECT_EQ(replay.admission, Admission::done);
  EXPECT_EQ(replay.outcome->failure, wire::FailureKind::expired);
}

TEST(CommandJournal, ATornLineIsCutOffAndTheNextLineIsKept) {
  TempDir d;
  ManualClock clock;
  auto file = d / "commands.jsonl";
  {
    CommandJournal j(file, clock);
    j.admit(command("a", clock.now_s()));
  }
  std::ofstream(file, std::ios::app) << "{\"id\":\"b\",\"expi";  // a crash while writing
  {
    CommandJournal j(file, clock);
    EXPECT_EQ(j.damaged_lines(), 1u);
    EXPECT_EQ(j.admit(command("c", clock.now_s())).admission, Admission::run);
  }
  CommandJournal j(file, clock);
  EXPECT_EQ(j.damaged_lines(), 0u);  // repaired: "c" was not glued to the torn line
  EXPECT_EQ(j.admit(command("a", clock.now_s())).admission, Admission::in_progress);
  EXPECT_EQ(j.admit(command("c", clock.now_s())).admission, Admission::in_progress);
}

TEST(CommandJournal, ForgetsADayAfterExpiryAndStaysSmall) {
  TempDir d;
  ManualClock clock;
  auto file = d / "commands.jsonl";
  CommandJournal j(file, clock, 50);
  for (int i = 0; i < 200; ++i) {
    auto c = command("c" + std::to_string(i), clock.now_s(), 60);
    ASSERT_EQ(j.admit(c).admission, Admission::run);
    j.record_outcome(outcome(c.id, clock.now_s()));
  }
  EXPECT_LE(j.size(), 50u);
  EXPECT_LT(read_file(file).size(), 250u * 300);  // compacted: not 400 lines
  clock.advance(2 * 86400);
  j.admit(command("late", clock.now_s()));
  EXPECT_EQ(j.size(), 1u);
}

}  // namespace
}  // namespace edgeml::spool

// The agent's intake of a command message: each kind of message gets its answer and its count.
#include "spool/command_intake.hpp"

namespace edgeml::spool {
namespace {

TEST(CommandIntake, EachMessageGetsItsAnswerAndNothingRunsTwice) {
  TempDir d;
  ManualClock clock;
  CommandJournal journal(d / "commands.jsonl", clock);
  wire::RefusalCounters refusals;
  auto take = [&](const std::string& payload) { return take_command(payload, "nano-1", journal, clock, refusals); };

  auto deploy = wire::Command{
      "deploy-9", "nano-1", clock.now_s(), clock.now_s() + 600,
      wire::DeployPayload{"resnet18", "http://10.0.0.2:5000/models/r.onnx", std::string(64, 'a'), 1000, true}};
  auto first = take(wire::encode(deploy));
  ASSERT_TRUE(first.run);
  EXPECT_EQ(first.run->id, "deploy-9");
  EXPECT_EQ(first.reply->kind, wire::EventKind::accepted);
  EXPECT_FALSE(first.refused);

  auto again = take(wire::encode(deploy));  // redelivered while it runs
  EXPECT_FALSE(again.run);
  EXPECT_FALSE(again.reply);
  EXPECT_EQ(again.refused, wire::Refusal::duplicate);

  auto done = first.reply.value();
  done.kind = wire::EventKind::succeeded;
  journal.record_outcome(done);
  auto replay = take(wire::encode(deploy));  // a replay after it finished: the outcome again
  EXPECT_FALSE(replay.run);
  ASSERT_TRUE(replay.reply);
  EXPECT_EQ(replay.reply->kind, wire::EventKind::succeeded);

  auto other = deploy;
  other.id = "deploy-10";
  other.device = "pi5-7";
  auto not_ours = take(wire::encode(other));
  EXPECT_FALSE(not_ours.run || not_ours.reply);
  EXPECT_EQ(not_ours.refused, wire::Refusal::wrong_device);

  auto old = deploy;
  old.id = "deploy-11";
  old.issued_at -= 1000;
  old.expires_at = clock.now_s() - 1;
  auto expired = take(wire::encode(old));
  EXPECT_FALSE(expired.run);
  EXPECT_EQ(expired.reply->failure, wire::FailureKind::expired);
  EXPECT_EQ(take(wire::encode(old)).reply->failure, wire::FailureKind::expired);  // the same answer on a replay

  auto bad = wire::to_json(deploy);
  bad["id"] = "deploy-12";
  bad["payload"]["sha256"] = "not-hex";
  auto malformed = take(bad.dump());
  EXPECT_FALSE(malformed.run);
  EXPECT_EQ(malformed.reply->kind, wire::EventKind::rejected);  // its id was readable: the controller hears now
  EXPECT_EQ(malformed.reply->failure, wire::FailureKind::refused);
  EXPECT_EQ(malformed.reply->command_id, "deploy-12");

  bad["v"] = 3;
  EXPECT_EQ(take(bad.dump()).refused, wire::Refusal::unknown_version);
  EXPECT_EQ(take("{garbage").refused, wire::Refusal::malformed);
  EXPECT_FALSE(take("{garbage").reply);
  EXPECT_EQ(take(std::string(wire::kMaxCommandBytes + 1, ' ')).refused, wire::Refusal::oversized);

  EXPECT_EQ(refusals.get(wire::Refusal::duplicate), 3u);  // running, finished, and the expired one replayed
  EXPECT_EQ(refusals.get(wire::Refusal::expired), 1u);    // the replay of the expired one is a duplicate
  EXPECT_EQ(refusals.get(wire::Refusal::wrong_device), 1u);
  EXPECT_EQ(refusals.get(wire::Refusal::malformed), 3u);
  EXPECT_EQ(refusals.get(wire::Refusal::unknown_version), 1u);
  EXPECT_EQ(refusals.get(wire::Refusal::oversized), 1u);
}

}  // namespace
}  // namespace edgeml::spool
