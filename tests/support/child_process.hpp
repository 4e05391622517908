#pragma once
// Starting the real executables in tests: fork/exec with arguments and extra environment, read the line that says
// where they listen, stop them with SIGTERM or SIGKILL. Shared by every service test.
#include <sys/types.h>

#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace edgeml::testing {

class ChildProcess {
 public:
  // argv[0] is the executable path. stdout is captured (read_line); stderr goes to a log file under /tmp.
  ChildProcess(std::vector<std::string> argv, std::map<std::string, std::string> env = {});
  ~ChildProcess();  // SIGKILL if still running
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // Next stdout line containing `needle`, waiting up to timeout; throws std::runtime_error (with the stderr log tail)
  // when the process exits or the time runs out.
  std::string wait_for_line(const std::string& needle, std::chrono::milliseconds timeout = std::chrono::seconds(60));
  // Port from a line "... http://HOST:PORT" (or https://) (what our services print when they listen).
  int wait_for_port(std::chrono::milliseconds timeout = std::chrono::seconds(60));

  pid_t pid() const { return pid_; }
  bool running();
  void kill_hard();                      // SIGKILL and reap
  int terminate(int timeout_ms = 5000);  // SIGTERM, wait, SIGKILL if needed; returns exit status or -signal
  std::string stderr_tail(size_t bytes = 4000) const;

 private:
  pid_t pid_ = -1;
  int out_fd_ = -1;
  std::string buffer_;
  std::string err_path_;
  int status_ = 0;
  bool reaped_ = false;
};

// The path of a built executable (EDGEML_BIN_DIR/name).
std::string bin(const std::string& name);

}  // namespace edgeml::testing
