#pragma once
// RSS, CPU time, threads and open descriptors of a process, read from /proc (the server under test).
#include <optional>

namespace edgeml::perf {

struct ProcessUsage {
  double cpu_s = 0;       // user + system since the process started
  double wall_s = 0;      // steady clock at the sample
  long long rss_kib = 0;  // VmRSS
  long long hwm_kib = 0;  // VmHWM: peak RSS since start
  int threads = 0;
  int open_fds = 0;
};

// nullopt when the process is gone or /proc cannot be read. proc_root is "/proc" outside tests.
std::optional<ProcessUsage> sample_process(int pid, const char* proc_root = "/proc");

}  // namespace edgeml::perf
