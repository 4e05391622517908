#pragma once
// Command-line options of hold_load, parsed strictly: an unknown flag, a missing value or a number out of range is a
// FieldError naming the flag, never a silent default.
#include <string>
#include <vector>

namespace edgeml::perf {

struct HoldOptions {
  // Target: http://127.0.0.1:PORT only (loopback is the only place this tool may send load).
  std::string host = "127.0.0.1";
  int port = 0;

  int idle = 0;       // connections that connect and send nothing
  int slowloris = 0;  // connections that send a request header one byte every slowloris_interval_s, never finishing
  int streams = 0;    // open GETs of stream_path, reading whatever arrives
  int sources = 1;    // spread each group over 127.0.0.2 .. 127.0.0.(sources+1); 1 = the kernel's choice (127.0.0.1)
  double slowloris_interval_s = 3;
  std::string stream_path = "/events";

  std::string probe_path = "/healthz";
  double probe_seconds = 10;
  double probe_timeout_s = 10;
  double probe_interval_s = 0.05;  // pause between two probes (the probe is a health check, not a load)
  double settle_seconds = 3;       // time between "all held" and the first probe (lets the server's queues fill)
  double connect_timeout_s = 10;

  double wrk_seconds = 0;  // 0 = no wrk runs
  std::string wrk_path = "/";
  std::string wrk_script;  // wrk -s (e.g. perf/controller/predict.lua for a POST)
  int wrk_connections = 8;
  int wrk_threads = 2;
  double wrk_warmup_s = 2;  // an unreported wrk run first: the unloaded figure is not paid by a cold server

  int server_pid = 0;  // when set: RSS and CPU of that process during the hold

  // Goal checked when check_goal (exit 3 when missed): p99 of the probe and loaded/unloaded wrk throughput.
  bool check_goal = false;
  double goal_p99_ms = 50;
  double goal_throughput_ratio = 0.9;
};

// Parses argv (without argv[0]). Throws FieldError(flag, message) on any bad flag.
HoldOptions parse_hold_options(const std::vector<std::string>& args);

// The --help text.
std::string hold_usage();

}  // namespace edgeml::perf
