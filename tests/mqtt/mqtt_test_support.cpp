#include "mqtt_test_support.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>

namespace edgeml::mqtt::testing {

bool wait_until(const std::function<bool()>& pred, double timeout_s) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_s);
  while (std::chrono::steady_clock::now() < deadline) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return pred();
}

void Inbox::add(const IncomingMessage& m) {
  {
    std::lock_guard lock(mu_);
    messages_.push_back({std::string(m.topic), std::string(m.payload), m.retain});
  }
  cv_.notify_all();
}

std::vector<Received> Inbox::all() const {
  std::lock_guard lock(mu_);
  return messages_;
}

std::size_t Inbox::size() const {
  std::lock_guard lock(mu_);
  return messages_.size();
}

bool Inbox::wait_for(std::size_t n, double timeout_s) const {
  std::unique_lock lock(mu_);
  return cv_.wait_for(lock, std::chrono::duration<double>(timeout_s), [&] { return messages_.size() >= n; });
}

ClientCallbacks Inbox::callbacks() {
  ClientCallbacks cb;
  cb.on_message = [this](const IncomingMessage& m) { add(m); };
  return cb;
}

ClientOptions test_options(const std::string& url, const std::string& client_id) {
  ClientOptions o;
  o.broker = parse_broker_url(url);
  o.client_id = client_id;
  o.reconnect_min_s = 0.1;
  o.reconnect_max_s = 0.5;
  o.keepalive_s = 5;
  return o;
}

LoopedClient::LoopedClient(ClientOptions o, ClientCallbacks cb)
    : client(std::make_unique<Client>(std::move(o), std::move(cb))) {
  loop.add(*client);
  loop.start();
}

LoopedClient::~LoopedClient() {
  client.reset();
  loop.stop();
}

// ---- TcpProxy ----

TcpProxy::TcpProxy(int target_port) : target_port_(target_port) {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int one = 1;
  ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(listen_fd_, 64) != 0)
    throw std::runtime_error("proxy: cannot listen");
  socklen_t len = sizeof a;
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&a), &len);
  port_ = ntohs(a.sin_port);
  thread_ = std::thread([this] { run(); });
}

TcpProxy::~TcpProxy() {
  stop_ = true;
  thread_.join();
  ::close(listen_fd_);
  for (auto [a, b] : pairs_) {
    ::close(a);
    ::close(b);
  }
}

void TcpProxy::set_silent(bool silent) { silent_ = silent; }
void TcpProxy::cut_all() { cut_ = true; }

std::size_t TcpProxy::connections() const {
  std::lock_guard lock(mu_);
  return pairs_.size();
}

void TcpProxy::run() {
  char buf[65536];
  while (!stop_) {
    if (cut_.exchange(false)) {
      std::lock_guard lock(mu_);
      for (auto [a, b] : pairs_) {
        linger l{1, 0};  // reset, as a dropped NAT mapping does
        ::setsockopt(a, SOL_SOCKET, SO_LINGER, &l, sizeof l);
        ::setsockopt(b, SOL_SOCKET, SO_LINGER, &l, sizeof l);
        ::close(a);
        ::close(b);
      }
      pairs_.clear();
    }
    std::vector<pollfd> fds{{listen_fd_, POLLIN, 0}};
    {
      std::lock_guard lock(mu_);
      for (auto [a, b] : pairs_) {
        fds.push_back({a, static_cast<short>(silent_ ? 0 : POLLIN), 0});
        fds.push_back({b, static_cast<short>(silent_ ? 0 : POLLIN), 0});
      }
    }
    if (::poll(fds.data(), fds.size(), 20) <= 0) continue;
    if (fds[0].revents & POLLIN) {
      int in = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (in >= 0) {
        int out = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_port = htons(static_cast<uint16_t>(target_port_));
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::connect(out, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0) {
          std::lock_guard lock(mu_);
          pairs_.push_back({in, out});
        } else {
          ::close(in);
          ::close(out);
        }
      }
    }
    std::vector<int> dead;
    for (size_t i = 1; i < fds.size(); ++i) {
      if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      int from = fds[i].fd;
      int to = (i % 2 == 1) ? fds[i + 1].fd : fds[i - 1].fd;
      ssize_t n = ::read(from, buf, sizeof buf);
      if (n <= 0 || ::send(to, buf, static_cast<size_t>(n), MSG_NOSIGNAL) != n) dead.push_back(from);
    }
    if (!dead.empty()) {
      std::lock_guard lock(mu_);
      std::erase_if(pairs_, [&](const std::pair<int, int>& p) {
        for (int d : dead)
          if (d == p.first || d == p.second) {
            ::close(p.first);
            ::close(p.second);
            return true;
          }
        return false;
      });
    }
  }
}

}  // namespace edgeml::mqtt::testing
