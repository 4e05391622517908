#include "mosquitto_broker.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace edgeml::testing {

namespace {
bool accepts_connections(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  ::close(fd);
  return ok;
}
}  // namespace

std::string mosquitto_path() {
  for (const char* p : {"/usr/sbin/mosquitto", "/usr/bin/mosquitto", "/usr/local/sbin/mosquitto"})
    if (::access(p, X_OK) == 0) return p;
  throw std::runtime_error("mosquitto is not installed (scripts/setup.sh installs it)");
}

MosquittoBroker::MosquittoBroker(BrokerConfig config) : config_(std::move(config)) {
  // Another process may take the free port between our probe and mosquitto's bind: then try another one.
  for (int attempt = 0; attempt < 5; ++attempt) {
    port_ = free_port();
    if (try_start()) return;
  }
  throw std::runtime_error("mosquitto did not start; log:\n" + log());
}

MosquittoBroker::~MosquittoBroker() {
  process_.reset();  // SIGKILL if running, before its folder goes
}

void MosquittoBroker::write_config() const {
  std::ofstream c(dir_ / "mosquitto.conf", std::ios::trunc);
  // Started as root (CI), mosquitto would switch to user "mosquitto", which cannot read this private folder.
  if (::geteuid() == 0) c << "user root\n";
  c << "per_listener_settings false\n";
  c << "listener " << port_ << " 127.0.0.1\n";
  for (const auto& l : config_.listener_lines) c << l << "\n";
  c << "allow_anonymous " << (config_.allow_anonymous ? "true" : "false") << "\n";
  c << "persistence " << (config_.persistence ? "true" : "false") << "\n";
  c << "persistence_location " << dir_.string() << "/\n";
  c << "log_dest file " << (dir_ / "broker.log").string() << "\n";
  c << "log_type error\nlog_type warning\nlog_type notice\nlog_type information\n";
  c << "connection_messages true\n";
  c << "set_tcp_nodelay true\n";  // as deploy/mosquitto/edgeml.conf
  for (const auto& l : config_.global_lines) c << l << "\n";
}

bool MosquittoBroker::try_start() {
  write_config();
  process_ = std::make_unique<ChildProcess>(
      std::vector<std::string>{mosquitto_path(), "-c", (dir_ / "mosquitto.conf").string()});
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    if (!process_->running()) return false;
    if (accepts_connections(port_)) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  process_->kill_hard();
  return false;
}

pid_t MosquittoBroker::pid() const { return process_ ? process_->pid() : -1; }

bool MosquittoBroker::running() const { return process_ && process_->running(); }

void MosquittoBroker::stop() {
  if (process_) process_->terminate(10000);
}

void MosquittoBroker::kill() {
  if (process_) process_->kill_hard();
}

void MosquittoBroker::start() {
  if (running()) return;
  // The port was ours a moment ago; wait for it to be bindable again (mosquitto sets SO_REUSEADDR).
  for (int attempt = 0; attempt < 50; ++attempt) {
    if (try_start()) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  throw std::runtime_error("mosquitto did not restart on port " + std::to_string(port_) + "; log:\n" + log());
}

std::string MosquittoBroker::log() const {
  std::ifstream in(dir_ / "broker.log");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace edgeml::testing
