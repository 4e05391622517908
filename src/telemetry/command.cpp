#include "telemetry/command.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

namespace edgeml::telemetry {

CommandOutput run_command(const std::filesystem::path& program, const std::vector<std::string>& args,
                          std::chrono::milliseconds timeout) {
  std::string what = program.string();
  for (const auto& a : args) what += " " + a;
  // argv is built before fork: the child of a multi-threaded process may only make async-signal-safe calls.
  std::vector<char*> argv{const_cast<char*>(program.c_str())};
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);

  int out[2];
  if (::pipe2(out, O_CLOEXEC) != 0) return {std::nullopt, what + ": pipe failed"};
  pid_t pid = ::fork();
  if (pid < 0) {
    ::close(out[0]), ::close(out[1]);
    return {std::nullopt, what + ": fork failed"};
  }
  if (pid == 0) {
    ::dup2(out[1], 1);
    int devnull = ::open("/dev/null", O_WRONLY);
    if (devnull >= 0) ::dup2(devnull, 2);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ::close(out[1]);
  std::string text;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  bool timed_out = false, too_large = false;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      timed_out = true;
      break;
    }
    pollfd p{out[0], POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
    char buf[4096];
    ssize_t n = ::read(out[0], buf, sizeof buf);
    if (n <= 0) break;
    text.append(buf, static_cast<size_t>(n));
    if (text.size() > kCommandMaxOutputBytes) {
      too_large = true;
      break;
    }
  }
  ::close(out[0]);
  if (timed_out || too_large) ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (timed_out) return {std::nullopt, what + " gave no answer within " + std::to_string(timeout.count()) + " ms"};
  if (too_large) return {std::nullopt, what + " wrote more than " + std::to_string(kCommandMaxOutputBytes) + " bytes"};
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    return {std::nullopt,
            what + " failed (exit status " + std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1) + ")"};
  return {std::move(text), ""};
}

}  // namespace edgeml::telemetry
