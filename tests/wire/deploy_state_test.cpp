// The deployment state machine: names, the transition tables, the machine refusing illegal moves, the failure kinds,
// and that the names are the ones the services write today (read from their sources).
#include "wire/deploy_state.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "common/error.hpp"
#include "wire/failure_kind.hpp"

namespace edgeml::wire {
namespace {

template <class E>
void expect_names_round_trip(std::span<const EnumName<E>> table, E (*parse)(std::string_view, std::string_view)) {
  std::set<std::string> seen;
  for (const auto& e : table) {
    EXPECT_TRUE(seen.insert(e.name).second) << "duplicate name " << e.name;
    EXPECT_EQ(parse(e.name, "f"), e.value) << e.name;
  }
}

TEST(WireDeployState, NamesAreTheApiNames) {
  std::vector<std::string> states;
  for (const auto& s : deploy_state_names()) states.push_back(s.name);
  EXPECT_EQ(states, (std::vector<std::string>{"running", "succeeded", "failed", "rejected", "interrupted", "skipped"}));
  expect_names_round_trip<DeployState>(deploy_state_names(), parse_deploy_state);
  expect_names_round_trip<DeployStep>(deploy_step_names(), parse_deploy_step);
  expect_names_round_trip<AgentJobState>(agent_job_state_names(), parse_agent_job_state);
  expect_names_round_trip<FailureKind>(failure_kind_names(), parse_failure_kind);
  try {
    parse_deploy_state("done", "status");
    FAIL();
  } catch (const FieldError& e) {
    EXPECT_EQ(e.field(), "status");
    EXPECT_NE(std::string(e.what()).find("running | succeeded"), std::string::npos) << e.what();
  }
}

std::string source(const std::string& rel) {
  std::ifstream in(std::string(EDGEML_SOURCE_DIR) + "/" + rel);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::set<std::string> matches(const std::string& text, const std::string& pattern) {
  std::set<std::string> out;
  std::regex re(pattern);
  for (auto it = std::sregex_iterator(text.begin(), text.end(), re); it != std::sregex_iterator(); ++it)
    out.insert((*it)[1]);
  return out;
}

// Every state, step and job-state string the services write today must parse, so switching them to these enums
// keeps the HTTP API's JSON. (Once the services use the enums, the patterns find nothing left to check.)
TEST(WireDeployState, EveryNameTheServicesWriteTodayParses) {
  auto deployer = source("src/controller/deployer.cpp");
  for (const auto& s : matches(deployer, R"(finish\(\s*"(\w+)\")")) EXPECT_NO_THROW(parse_deploy_state(s)) << s;
  for (const auto& s : matches(deployer, R"(begin_step\(\s*"(\w+)\")")) EXPECT_NO_THROW(parse_deploy_step(s)) << s;
  for (const auto& s : matches(deployer, R"(end_step\(\s*"(\w+)\")")) {
    bool known = false;
    for (const auto& n : step_status_names()) known |= s == n.name;
    EXPECT_TRUE(known) << s;
  }
  auto job = source("src/agent/deploy_job.cpp");
  for (const auto& s : matches(job, R"(set_state\(\s*"(\w+)\")")) EXPECT_NO_THROW(parse_agent_job_state(s)) << s;
  for (const auto& s : matches(job, R"(\{"state",\s*"(\w+)\"\})")) EXPECT_NO_THROW(parse_agent_job_state(s)) << s;
  auto db = source("src/controller/fleet_db.cpp");
  for (const auto& s : matches(db, R"(status = '(\w+)')")) EXPECT_NO_THROW(parse_deploy_state(s)) << s;
}

TEST(WireDeployState, TransitionTables) {
  EXPECT_TRUE(allowed(DeployState::running, DeployState::succeeded));
  EXPECT_TRUE(allowed(DeployState::running, DeployState::skipped));
  for (const auto& from : deploy_state_names())
    for (const auto& to : deploy_state_names())
      EXPECT_EQ(allowed(from.value, to.value), from.value == DeployState::running && to.value != DeployState::running)
          << from.name << " -> " << to.name;
  EXPECT_TRUE(allowed(std::nullopt, DeployStep::energy_gate));
  EXPECT_TRUE(allowed(DeployStep::transfer, DeployStep::activation));
  EXPECT_FALSE(allowed(DeployStep::activation, DeployStep::transfer));
  EXPECT_FALSE(allowed(std::nullopt, DeployStep::transfer));
  EXPECT_FALSE(allowed(DeployStep::energy_gate, DeployStep::energy_gate));
  EXPECT_TRUE(allowed(DeployStep::health_check, DeployStep::benchmark_window));  // after a healthy model only
  EXPECT_FALSE(allowed(DeployStep::activation, DeployStep::benchmark_window));
  EXPECT_EQ(parse_step_status("forced"), StepStatus::forced);             // the gate's overridden rejection
  EXPECT_TRUE(allowed(AgentJobState::downloading, AgentJobState::done));  // activate=false
  EXPECT_FALSE(allowed(AgentJobState::activating, AgentJobState::downloading));
  try {
    check_transition(DeployState::failed, DeployState::succeeded);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::conflict);
    EXPECT_EQ(e.field(), "status");
    EXPECT_NE(std::string(e.what()).find("from failed to succeeded"), std::string::npos);
  }
}

TEST(WireDeployState, MachineFollowsADeployAndRefusesIllegalMoves) {
  DeploymentMachine m;
  for (auto s : {DeployStep::energy_gate, DeployStep::artifact, DeployStep::transfer, DeployStep::activation,
                 DeployStep::health_check})
    m.enter(s);
  m.finish(DeployState::succeeded);
  EXPECT_EQ(m.state(), DeployState::succeeded);
  EXPECT_FALSE(m.failure());
  EXPECT_THROW(m.enter(DeployStep::health_check), Error);
  EXPECT_THROW(m.finish(DeployState::failed, FailureKind::timeout, "late"), Error);
  EXPECT_EQ(m.state(), DeployState::succeeded);  // nothing half-applied

  DeploymentMachine out_of_order;
  out_of_order.enter(DeployStep::energy_gate);
  EXPECT_THROW(out_of_order.enter(DeployStep::activation), Error);
  EXPECT_EQ(out_of_order.step(), DeployStep::energy_gate);

  DeploymentMachine rollback;
  rollback.enter(DeployStep::rollback);
  rollback.enter(DeployStep::health_check);
  rollback.finish(DeployState::failed, FailureKind::health_check, "no model runs");
  EXPECT_EQ(rollback.failure(), FailureKind::health_check);
  EXPECT_EQ(rollback.message(), "no model runs");
}

TEST(WireDeployState, FailureKindMustFitTheFinalState) {
  DeploymentMachine a;
  EXPECT_THROW(a.finish(DeployState::failed), FieldError);  // failed needs a kind
  EXPECT_EQ(a.state(), DeployState::running);
  EXPECT_THROW(a.finish(DeployState::succeeded, FailureKind::timeout), FieldError);
  EXPECT_THROW(a.finish(DeployState::interrupted, FailureKind::timeout), FieldError);
  a.finish(DeployState::interrupted);
  EXPECT_EQ(a.failure(), FailureKind::interrupted);
  DeploymentMachine b;
  b.enter(DeployStep::energy_gate);
  b.finish(DeployState::rejected, FailureKind::over_budget, "12 mWh > 10 mWh");
  EXPECT_EQ(b.state(), DeployState::rejected);
}

TEST(WireFailureKind, MapsTheAgentsDeployErrors) {
  EXPECT_EQ(failure_kind_of(Error(ErrorKind::insufficient_storage, "disk full")), FailureKind::disk_full);
  EXPECT_EQ(failure_kind_of(FieldError("sha256", "sha256 of the received bytes is ...")), FailureKind::checksum);
  EXPECT_EQ(failure_kind_of(FieldError("size", "received 10 bytes but 'size' says 12")), FailureKind::download);
  EXPECT_EQ(failure_kind_of(Error(ErrorKind::upstream_failed, "cut short")), FailureKind::download);
  EXPECT_EQ(failure_kind_of(Error(ErrorKind::upstream_timeout, "slow")), FailureKind::timeout);
  EXPECT_EQ(failure_kind_of(Error(ErrorKind::unprocessable, "does not load")), FailureKind::activation);
  EXPECT_EQ(failure_kind_of(Error(ErrorKind::too_large, "over 1 GiB")), FailureKind::too_large);
  EXPECT_EQ(failure_kind_of(Error(ErrorKind::conflict, "busy")), FailureKind::refused);
  EXPECT_EQ(failure_kind_of(NotFoundError("no stored model")), FailureKind::no_artifact);
  EXPECT_EQ(failure_kind_of(std::runtime_error("bug")), FailureKind::internal);
}

}  // namespace
}  // namespace edgeml::wire
