#pragma once
// One HTTP GET on a new connection to 127.0.0.1, with a deadline for the whole exchange: what a health checker does.
#include <string>

namespace edgeml::perf {

struct ProbeResult {
  bool ok = false;       // a complete answer with a 2xx status within the deadline
  int status = 0;        // 0 when no status line arrived
  double latency_s = 0;  // connect start to the last byte of the answer (or to the failure)
  std::string error;     // why it failed: "connect: Connection refused", "timeout after 10 s", "status 503"
};

ProbeResult probe_once(int port, const std::string& path, double timeout_s);

}  // namespace edgeml::perf
