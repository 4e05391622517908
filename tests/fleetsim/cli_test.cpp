// `edgeml fleet-sim` as users run it: against a real broker, the last stdout line is the JSON summary; bad flags exit
// with status 2 and name the flag.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "child_process.hpp"
#include "mosquitto_broker.hpp"

namespace edgeml::fleetsim {
namespace {
using edgeml::testing::bin;
using edgeml::testing::ChildProcess;
using edgeml::testing::MosquittoBroker;

// Waits for the process to end by itself (at most timeout_s) and returns its exit status.
int exit_status(ChildProcess& p, double timeout_s) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_s);
  while (p.running() && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  return p.terminate(1000);  // already reaped: just its status
}

// Runs the command to its end; returns {exit status, last stdout line}.
std::pair<int, std::string> run(const std::vector<std::string>& args) {
  std::vector<std::string> argv{bin("edgeml"), "fleet-sim"};
  argv.insert(argv.end(), args.begin(), args.end());
  ChildProcess p(argv);
  std::string last;
  try {
    for (;;) last = p.wait_for_line("", std::chrono::seconds(120));
  } catch (const std::runtime_error&) {
    // end of output
  }
  return {exit_status(p, 60), last};
}

TEST(FleetSimCli, PrintsTheSummaryOnItsLastLine) {
  MosquittoBroker broker;
  auto [status, line] =
      run({"--mqtt", broker.url(), "--devices", "30", "--hz", "4", "--seconds", "2", "--consume", "--catalog",
           "jetson_nano=" + std::string(EDGEML_SHARED_DATA) + "/124_models_benchmark_jetson.csv", "--device-type",
           "jetson_nano"});
  ASSERT_EQ(status, 0) << line;
  auto j = nlohmann::json::parse(line);
  EXPECT_EQ(j["devices"], 30);
  EXPECT_GT(j["sent"].get<int>(), 30 * 4);
  EXPECT_EQ(j["sent"], j["acknowledged"]);
  EXPECT_EQ(j["dropped"], 0);
  EXPECT_EQ(j["reconnects"], 0);
  EXPECT_EQ(j["consumer"]["stored"], j["sent"]);
  EXPECT_TRUE(j["rates"]["sent_per_s"].is_number());
  EXPECT_TRUE(j["cpu"]["share_of_one_core"].is_number());
}

TEST(FleetSimCli, BadFlagsExitWithStatusTwoNamingTheFlag) {
  for (auto args : std::vector<std::vector<std::string>>{
           {"--mqtt", "http://x", "--devices", "1", "--hz", "1", "--seconds", "1"},
           {"--mqtt", "mqtt://127.0.0.1:1", "--devices", "1", "--hz", "1"},
           {"--mqtt", "mqtt://127.0.0.1:1", "--devices", "1.5", "--hz", "1", "--seconds", "1"},
           {"--mqtt", "mqtt://127.0.0.1:1", "--devices", "1", "--hz", "1", "--seconds", "1", "--drop-share", "2"},
           {"--mqtt", "mqtt://127.0.0.1:1", "--devices", "1", "--hz", "1", "--seconds", "1", "--bogus"}}) {
    std::vector<std::string> argv{bin("edgeml"), "fleet-sim"};
    argv.insert(argv.end(), args.begin(), args.end());
    ChildProcess p(argv);
    EXPECT_EQ(exit_status(p, 20), 2) << args[args.size() - 2] << " " << args.back() << "\n" << p.stderr_tail();
    auto err = p.stderr_tail();
    EXPECT_NE(err.find("--"), std::string::npos) << err;
  }
}

}  // namespace
}  // namespace edgeml::fleetsim
