#include "probe.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include "common/strings.hpp"

namespace edgeml::perf {
namespace {

using Clock = std::chrono::steady_clock;

// Waits until fd is ready for `events` or the deadline passes.
bool wait_for(int fd, short events, Clock::time_point deadline) {
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return false;
    pollfd p{fd, events, 0};
    int rc = ::poll(&p, 1, static_cast<int>(left));
    if (rc > 0) return true;
    if (rc < 0 && errno != EINTR) return false;
  }
}

// True when `data` holds a whole answer: headers plus Content-Length bytes, or a chunked body's last chunk.
// Answers with neither are complete when the server closes (we asked for Connection: close).
bool answer_complete(const std::string& data) {
  auto end = data.find("\r\n\r\n");
  if (end == std::string::npos) return false;
  std::string head = to_lower(data.substr(0, end));
  size_t body = data.size() - (end + 4);
  if (auto p = head.find("\r\ncontent-length:"); p != std::string::npos) {
    auto n = parse_int(trim(head.substr(p + 17, head.find("\r\n", p + 2) - (p + 17))));
    return n && body >= static_cast<size_t>(*n);
  }
  if (head.find("transfer-encoding: chunked") != std::string::npos)
    return data.size() >= 5 && data.compare(data.size() - 5, 5, "0\r\n\r\n") == 0;
  return false;
}

}  // namespace

ProbeResult probe_once(int port, const std::string& path, double timeout_s) {
  ProbeResult r;
  auto t0 = Clock::now();
  auto deadline = t0 + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(timeout_s));
  auto finish = [&](const std::string& error) {
    r.latency_s = std::chrono::duration<double>(Clock::now() - t0).count();
    r.error = error;
    r.ok = error.empty();
    return r;
  };
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return finish(std::string("socket: ") + std::strerror(errno));
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  sockaddr_in dst{};
  dst.sin_family = AF_INET;
  dst.sin_port = htons(static_cast<uint16_t>(port));
  dst.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&dst), sizeof dst) != 0 && errno != EINPROGRESS)
    return finish(std::string("connect: ") + std::strerror(errno));
  if (!wait_for(fd, POLLOUT, deadline)) return finish("timeout after " + format_number(timeout_s) + " s (connect)");
  int err = 0;
  socklen_t len = sizeof err;
  ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
  if (err != 0) return finish(std::string("connect: ") + std::strerror(err));

  std::string req = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
                    "\r\nUser-Agent: hold_load-probe\r\nConnection: close\r\n\r\n";
  if (::send(fd, req.data(), req.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(req.size()))
    return finish(std::string("send: ") + std::strerror(errno));

  std::string data;
  char buf[8192];
  for (;;) {
    if (answer_complete(data)) break;
    if (!wait_for(fd, POLLIN, deadline)) return finish("timeout after " + format_number(timeout_s) + " s (answer)");
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n > 0) {
      data.append(buf, static_cast<size_t>(n));
      if (data.size() > (4u << 20)) return finish("answer over 4 MiB");
      continue;
    }
    if (n == 0) break;
    if (errno == EAGAIN || errno == EINTR) continue;
    return finish(std::string("recv: ") + std::strerror(errno));
  }
  if (data.size() >= 12 && data.rfind("HTTP/1.", 0) == 0) r.status = parse_int(data.substr(9, 3)).value_or(0);
  if (r.status == 0) return finish(data.empty() ? "closed without an answer" : "no HTTP status line in the answer");
  if (!answer_complete(data) && data.find("\r\n\r\n") == std::string::npos) return finish("answer cut short");
  if (r.status < 200 || r.status > 299) return finish("status " + std::to_string(r.status));
  return finish("");
}

}  // namespace edgeml::perf
