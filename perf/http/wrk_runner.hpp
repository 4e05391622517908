#pragma once
// Runs wrk (Debian package) as a child process and reads its summary: the project's throughput figures all come from
// wrk (perf/controller/wrk.sh), so loaded and unloaded throughput here are comparable with those.
#include <optional>
#include <string>

namespace edgeml::perf {

struct WrkRun {
  std::string command;
  double requests_per_s = 0;
  long long requests = 0;
  long long non_2xx_3xx = 0;
  long long socket_errors = 0;  // connect + read + write + timeout
  std::optional<double> p50_s, p90_s, p99_s;
};

struct WrkPlan {
  int port = 0;
  std::string path = "/";
  std::string script;  // wrk -s FILE, empty for a plain GET
  int threads = 2;
  int connections = 8;
  double seconds = 10;
};

// Throws std::runtime_error with wrk's own output when wrk is missing or prints no "Requests/sec".
WrkRun run_wrk(const WrkPlan& plan);

// Parses wrk --latency output (exposed for the parser's own check).
WrkRun parse_wrk_output(const std::string& out);

}  // namespace edgeml::perf
