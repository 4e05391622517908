// Defects a code review found (issue 15), each reproduced against the real executables.
#include <gtest/gtest.h>

#include <regex>

#include "deploy_support.hpp"

using namespace edgeml;
using namespace edgeml::deploy_test;

namespace {

// Waits for a process that should exit on its own; returns its exit status.
int exit_status_of(edgeml::testing::ChildProcess& p, double timeout_s = 30) {
  EXPECT_TRUE(eventually([&] { return !p.running(); }, timeout_s)) << "the second process is still running";
  return p.terminate();
}

}  // namespace

// /metrics labelled routes with their raw regular expressions (route="/api/deployments/(\d+)"): invalid Prometheus
// text (an unescaped backslash) and unreadable. Routes are labelled by their readable pattern.
TEST(HouseInOrder, MetricsLabelRoutesByReadablePatternsInValidPrometheusText) {
  auto controller = start_controller(controller_state("house-metrics", true));
  EXPECT_EQ(controller->get("/api/deployments/123456").status, 404);
  EXPECT_EQ(controller->get("/api/deployments/99999999999999999999999").status, 404) << "never a 500 from stoll";
  auto metrics = controller->get("/metrics");
  ASSERT_EQ(metrics.status, 200);
  const std::string& text = metrics.raw;
  EXPECT_NE(text.find(R"(route="/api/deployments/:id")"), std::string::npos) << text;
  // Every sample line: name{label="value",...} number, with only the escapes the format allows in label values.
  const std::regex sample(
      R"re(^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\[\\"n])*",?)*\})? [-+0-9.eEInfa]+$)re");
  size_t lines = 0;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    ++lines;
    EXPECT_TRUE(std::regex_match(line, sample)) << "not valid Prometheus text: " << line;
  }
  EXPECT_GT(lines, 10u);
}

// cpp-httplib set SO_REUSEPORT: a second controller or agent on a port in use "listened" too and the kernel split
// connections between them. A second process on a busy port now refuses to start and says why.
TEST(HouseInOrder, ASecondControllerOnABusyPortRefusesToStart) {
  auto first = start_controller(controller_state("house-port-a", true));
  edgeml::testing::ChildProcess second({edgeml::testing::bin("edgeml-controller"), "--host", "127.0.0.1", "--port",
                                        std::to_string(first->port()), "--state",
                                        controller_state("house-port-b", true).string()});
  EXPECT_NE(exit_status_of(second), 0);
  EXPECT_NE(second.stderr_tail().find("already in use"), std::string::npos) << second.stderr_tail();
  EXPECT_EQ(first->get("/healthz").status, 200) << "the first controller keeps every connection";
}

TEST(HouseInOrder, ASecondAgentOnABusyPortRefusesToStart) {
  TempDir a("house-agent-a"), b("house-agent-b");
  auto first = start_agent("bare_vm", a.path);
  edgeml::testing::ChildProcess second({edgeml::testing::bin("edgeml-agent"), "--host", "127.0.0.1", "--port",
                                        std::to_string(first->port()), "--state", b.path.string()});
  EXPECT_NE(exit_status_of(second), 0);
  EXPECT_NE(second.stderr_tail().find("already in use"), std::string::npos) << second.stderr_tail();
  EXPECT_EQ(first->get("/status").status, 200);
}
