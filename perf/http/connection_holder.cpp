#include "connection_holder.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <stdexcept>

namespace edgeml::perf {
namespace {

double now_s() { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); }

constexpr int kMaxConnectsInFlight = 128;  // more at once only overflows the server's SYN/accept queues
constexpr double kReconnectAfterCloseS = 0.1;
constexpr double kReconnectAfterFailureS = 1.0;

// "HTTP/1.1 200 OK" -> 200; 0 when the bytes are not a status line.
int parse_status(const std::string& head) {
  if (head.size() < 12 || head.rfind("HTTP/1.", 0) != 0) return 0;
  int code = 0;
  for (size_t i = 9; i < 12; ++i) {
    if (head[i] < '0' || head[i] > '9') return 0;
    code = code * 10 + (head[i] - '0');
  }
  return code;
}

}  // namespace

const char* to_string(HoldKind kind) {
  switch (kind) {
    case HoldKind::idle:
      return "idle";
    case HoldKind::slowloris:
      return "slowloris";
    case HoldKind::stream:
      return "streams";
  }
  return "?";
}

struct ConnectionHolder::Conn {
  HoldKind kind;
  int slot = 0;  // index inside its group: picks the source address
  int fd = -1;
  enum class State { waiting, connecting, open } state = State::waiting;
  double next_action_s = 0;  // waiting: when to connect; open slowloris: when to send the next byte
  double connect_started_s = 0;
  double established_s = 0;
  bool ever_established = false;
  size_t slow_sent = 0;  // bytes of the endless slowloris header sent on this connection
  std::string head;      // first bytes the server sent (status line)
  int status = 0;
  std::string line_start = "\n";  // first bytes of the current line (kept across reads); "\n" = none yet
};

ConnectionHolder::ConnectionHolder(HoldPlan plan) : plan_(std::move(plan)) {
  slowloris_bytes_ = "GET " + plan_.slowloris_path + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(plan_.port) +
                     "\r\nUser-Agent: hold_load-slowloris\r\n";
  stream_request_ = "GET " + plan_.stream_path + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(plan_.port) +
                    "\r\nAccept: text/event-stream\r\nUser-Agent: hold_load-stream\r\n\r\n";
  auto add = [&](HoldKind kind, int n) {
    GroupStats g;
    g.kind = kind;
    g.wanted = n;
    groups_.push_back(g);
    for (int i = 0; i < n; ++i) {
      auto c = std::make_unique<Conn>();
      c->kind = kind;
      c->slot = i;
      conns_.push_back(std::move(c));
    }
  };
  add(HoldKind::idle, plan_.idle);
  add(HoldKind::slowloris, plan_.slowloris);
  add(HoldKind::stream, plan_.streams);
}

ConnectionHolder::~ConnectionHolder() { stop(); }

GroupStats& ConnectionHolder::group(HoldKind kind) { return groups_[static_cast<size_t>(kind)]; }

void ConnectionHolder::start() {
  epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
  if (epoll_fd_ < 0) throw std::runtime_error(std::string("epoll_create1: ") + std::strerror(errno));
  thread_ = std::thread([this] { run(); });
}

void ConnectionHolder::stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
  for (auto& c : conns_)
    if (c->fd >= 0) {
      ::close(c->fd);
      c->fd = -1;
    }
  if (epoll_fd_ >= 0) ::close(epoll_fd_);
  epoll_fd_ = -1;
}

bool ConnectionHolder::wait_until_all_tried(double timeout_s) {
  double deadline = now_s() + timeout_s;
  while (now_s() < deadline) {
    bool all = true;
    for (const auto& g : snapshot())
      if (g.ever_established + g.connect_failures < g.wanted) all = false;
    if (all) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

std::vector<GroupStats> ConnectionHolder::snapshot() const {
  std::lock_guard lock(mu_);
  auto out = groups_;
  double now = now_s();
  for (const auto& c : conns_) {
    if (c->state != Conn::State::open) continue;
    auto& g = out[static_cast<size_t>(c->kind)];
    g.oldest_open_s = std::max(g.oldest_open_s, now - c->established_s);
    if (c->kind == HoldKind::stream && c->status == 200) ++g.streams_answered_200;
  }
  return out;
}

void ConnectionHolder::open(Conn& c, double now) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {  // out of descriptors: count it and try later
    ++group(c.kind).connect_failures;
    c.next_action_s = now + kReconnectAfterFailureS;
    return;
  }
  // Always from 127.0.0.2 and up: the probes and wrk come from 127.0.0.1, another client, as a health checker and
  // the ordinary users are not the clients holding the connections (a per-client cap must not count them together).
  {
    int one = 1;
    // The port is chosen at connect() time, per (source, destination) pair, so K sources give K times the ports.
    ::setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
    sockaddr_in src{};
    src.sin_family = AF_INET;
    src.sin_addr.s_addr = htonl(0x7f000002u + static_cast<uint32_t>(c.slot % plan_.sources));
    if (::bind(fd, reinterpret_cast<sockaddr*>(&src), sizeof src) != 0) {
      ::close(fd);
      ++group(c.kind).connect_failures;
      c.next_action_s = now + kReconnectAfterFailureS;
      return;
    }
  }
  sockaddr_in dst{};
  dst.sin_family = AF_INET;
  dst.sin_port = htons(static_cast<uint16_t>(plan_.port));
  dst.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  int rc = ::connect(fd, reinterpret_cast<sockaddr*>(&dst), sizeof dst);
  if (rc != 0 && errno != EINPROGRESS) {
    ::close(fd);
    ++group(c.kind).connect_failures;
    c.next_action_s = now + kReconnectAfterFailureS;
    return;
  }
  c.fd = fd;
  c.state = Conn::State::connecting;
  c.connect_started_s = now;
  ++connecting_;
  epoll_event ev{};
  ev.events = EPOLLOUT | EPOLLIN | EPOLLRDHUP;
  ev.data.ptr = &c;
  ::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &ev);
}

void ConnectionHolder::drop(Conn& c, double now, bool by_server, bool connect_failed) {
  if (c.state == Conn::State::connecting) --connecting_;
  auto& g = group(c.kind);
  if (c.state == Conn::State::open) --g.open_now;
  if (connect_failed) ++g.connect_failures;
  if (by_server && c.state == Conn::State::open) {
    ++g.closed_by_server;
    g.held_before_close_s.push_back(now - c.established_s);
  }
  if (c.fd >= 0) {
    ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, c.fd, nullptr);
    ::close(c.fd);
  }
  c.fd = -1;
  c.state = Conn::State::waiting;
  c.next_action_s = now + (connect_failed ? kReconnectAfterFailureS : kReconnectAfterCloseS);
  c.slow_sent = 0;
  c.head.clear();
  c.status = 0;
  c.line_start = "\n";
}

void ConnectionHolder::on_connected(Conn& c, double now) {
  int err = 0;
  socklen_t len = sizeof err;
  ::getsockopt(c.fd, SOL_SOCKET, SO_ERROR, &err, &len);
  if (err != 0) {
    drop(c, now, false, true);
    return;
  }
  --connecting_;
  c.state = Conn::State::open;
  c.established_s = now;
  auto& g = group(c.kind);
  ++g.connects;
  ++g.open_now;
  if (!c.ever_established) {
    c.ever_established = true;
    ++g.ever_established;
  }
  epoll_event ev{};
  ev.events = EPOLLIN | EPOLLRDHUP;
  ev.data.ptr = &c;
  ::epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, c.fd, &ev);
  if (c.kind == HoldKind::stream) {
    // Small enough for the socket buffer: one non-blocking send is the whole request.
    if (::send(c.fd, stream_request_.data(), stream_request_.size(), MSG_NOSIGNAL) < 0) drop(c, now, true, false);
  } else if (c.kind == HoldKind::slowloris) {
    c.next_action_s = now;  // first byte at once, then one per interval
  }
}

// Counts SSE "data:" and ":" comment lines by their first bytes; chunk-size lines of a chunked body match neither.
void ConnectionHolder::count_sse_lines(Conn& c, GroupStats& g, const char* buf, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    if (buf[i] == '\n') {
      c.line_start.clear();
      continue;
    }
    if (c.line_start.size() >= 5) continue;
    c.line_start += buf[i];
    if (c.line_start == ":") ++g.sse_comments;
    if (c.line_start == "data:") ++g.sse_events;
  }
}

void ConnectionHolder::on_readable(Conn& c, double now) {
  char buf[16384];
  for (;;) {
    ssize_t n = ::recv(c.fd, buf, sizeof buf, 0);
    if (n > 0) {
      auto& g = group(c.kind);
      g.bytes_received += n;
      if (c.head.size() < 32) {
        c.head.append(buf, std::min<size_t>(static_cast<size_t>(n), 32 - c.head.size()));
        if (c.status == 0 && (c.status = parse_status(c.head)) != 0) ++g.statuses[c.status];
      }
      if (c.kind == HoldKind::stream) count_sse_lines(c, g, buf, static_cast<size_t>(n));
      continue;
    }
    if (n == 0) {
      drop(c, now, true, false);
      return;
    }
    if (errno == EAGAIN || errno == EWOULDBLOCK) return;
    if (errno == EINTR) continue;
    drop(c, now, true, false);  // reset by the server
    return;
  }
}

void ConnectionHolder::on_events(Conn& c, unsigned events, double now) {
  if (c.state == Conn::State::connecting) {
    if (events & (EPOLLOUT | EPOLLERR | EPOLLHUP)) on_connected(c, now);
    if (c.state != Conn::State::open) return;
    if (!(events & (EPOLLIN | EPOLLRDHUP))) return;
  }
  if (c.state == Conn::State::open) on_readable(c, now);
}

void ConnectionHolder::tick(double now) {
  static const std::string kEndlessHeaderLine = "X-Slow: 1\r\n";
  for (auto& cp : conns_) {
    Conn& c = *cp;
    switch (c.state) {
      case Conn::State::waiting:
        if (now >= c.next_action_s && connecting_ < kMaxConnectsInFlight) open(c, now);
        break;
      case Conn::State::connecting:
        if (now - c.connect_started_s > plan_.connect_timeout_s) drop(c, now, false, true);
        break;
      case Conn::State::open:
        if (c.kind == HoldKind::slowloris && now >= c.next_action_s) {
          // The request line and fixed headers, then header lines forever: the blank line never comes.
          char byte = c.slow_sent < slowloris_bytes_.size()
                          ? slowloris_bytes_[c.slow_sent]
                          : kEndlessHeaderLine[(c.slow_sent - slowloris_bytes_.size()) % kEndlessHeaderLine.size()];
          ssize_t n = ::send(c.fd, &byte, 1, MSG_NOSIGNAL);
          if (n == 1) {
            ++c.slow_sent;
            c.next_action_s = now + plan_.slowloris_interval_s;
          } else if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
            drop(c, now, true, false);
          }
        }
        break;
    }
  }
}

void ConnectionHolder::run() {
  std::vector<epoll_event> events(1024);
  while (!stop_) {
    int n = ::epoll_wait(epoll_fd_, events.data(), static_cast<int>(events.size()), 20);
    double now = now_s();
    std::lock_guard lock(mu_);
    for (int i = 0; i < n; ++i) on_events(*static_cast<Conn*>(events[i].data.ptr), events[i].events, now);
    tick(now);
  }
}

}  // namespace edgeml::perf
