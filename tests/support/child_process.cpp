#include "child_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace edgeml::testing {

std::string bin(const std::string& name) { return std::string(EDGEML_BIN_DIR) + "/" + name; }

ChildProcess::ChildProcess(std::vector<std::string> argv, std::map<std::string, std::string> env) {
  static int counter = 0;
  err_path_ = "/tmp/edgeml-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + ".stderr";
  int pipefd[2];
  if (::pipe2(pipefd, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  pid_ = ::fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    // Die with the test: a test binary killed by a CTest timeout must not leave servers running.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    ::dup2(pipefd[1], 1);
    int err = ::open(err_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (err >= 0) ::dup2(err, 2);
    for (auto& [k, v] : env) ::setenv(k.c_str(), v.c_str(), 1);
    std::vector<char*> args;
    for (auto& a : argv) args.push_back(a.data());
    args.push_back(nullptr);
    ::execv(args[0], args.data());
    std::fprintf(stderr, "exec %s failed: %s\n", args[0], std::strerror(errno));
    ::_exit(127);
  }
  ::close(pipefd[1]);
  out_fd_ = pipefd[0];
}

ChildProcess::~ChildProcess() {
  if (running()) kill_hard();
  if (out_fd_ >= 0) ::close(out_fd_);
  ::unlink(err_path_.c_str());
}

bool ChildProcess::running() {
  if (reaped_) return false;
  pid_t r = ::waitpid(pid_, &status_, WNOHANG);
  if (r == pid_) reaped_ = true;
  return !reaped_;
}

void ChildProcess::kill_hard() {
  if (reaped_) return;
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, &status_, 0);
  reaped_ = true;
}

int ChildProcess::terminate(int timeout_ms) {
  if (!reaped_) {
    ::kill(pid_, SIGTERM);
    for (int waited = 0; waited < timeout_ms && running(); waited += 20)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    if (running()) kill_hard();
  }
  if (WIFEXITED(status_)) return WEXITSTATUS(status_);
  if (WIFSIGNALED(status_)) return -WTERMSIG(status_);
  return -1;
}

std::string ChildProcess::stderr_tail(size_t bytes) const {
  std::ifstream in(err_path_);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string s = ss.str();
  return s.size() > bytes ? s.substr(s.size() - bytes) : s;
}

std::string ChildProcess::wait_for_line(const std::string& needle, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    size_t nl;
    while ((nl = buffer_.find('\n')) != std::string::npos) {
      std::string line = buffer_.substr(0, nl);
      buffer_.erase(0, nl + 1);
      if (line.find(needle) != std::string::npos) return line;
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0)
      throw std::runtime_error("timed out waiting for '" + needle + "'; stderr:\n" + stderr_tail());
    pollfd p{out_fd_, POLLIN, 0};
    int r = ::poll(&p, 1, static_cast<int>(std::min<long>(left.count(), 200)));
    if (r > 0) {
      char buf[4096];
      ssize_t n = ::read(out_fd_, buf, sizeof buf);
      if (n <= 0) throw std::runtime_error("process exited before '" + needle + "'; stderr:\n" + stderr_tail());
      buffer_.append(buf, static_cast<size_t>(n));
    } else if (!running()) {
      throw std::runtime_error("process exited before '" + needle + "'; stderr:\n" + stderr_tail());
    }
  }
}

int ChildProcess::wait_for_port(std::chrono::milliseconds timeout) {
  std::string line = wait_for_line("://", timeout);  // http:// or https://
  std::smatch m;
  if (!std::regex_search(line, m, std::regex(R"(https?://[^:/\s]+:(\d+))")))
    throw std::runtime_error("no port in line: " + line);
  return std::stoi(m[1]);
}

}  // namespace edgeml::testing
