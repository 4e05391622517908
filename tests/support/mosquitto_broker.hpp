#pragma once
// A real mosquitto broker for tests: started as a child process on a free 127.0.0.1 port with a generated config in a
// private folder, stopped by its PID (SIGTERM, or SIGKILL to simulate a crash), restartable on the same port.
// Mosquitto 2.x needs an explicit listener and allow_anonymous (see ../shared/notes/dependencies.md section 8).
#include <sys/types.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "child_process.hpp"
#include "temp_dir.hpp"

namespace edgeml::testing {

struct BrokerConfig {
  std::vector<std::string> listener_lines;  // after `listener PORT 127.0.0.1`: cafile, certfile, require_certificate...
  std::vector<std::string> global_lines;    // password_file, acl_file, max_packet_size...
  bool allow_anonymous = true;
  bool persistence = false;  // true: sessions and queued messages survive a restart (persistence_location = dir)
};

class MosquittoBroker {
 public:
  explicit MosquittoBroker(BrokerConfig config = {});
  ~MosquittoBroker();  // SIGKILL if still running; removes its folder
  MosquittoBroker(const MosquittoBroker&) = delete;
  MosquittoBroker& operator=(const MosquittoBroker&) = delete;

  int port() const { return port_; }
  std::string url() const { return "mqtt://127.0.0.1:" + std::to_string(port_); }
  const std::filesystem::path& dir() const { return dir_; }
  pid_t pid() const;
  bool running() const;

  void stop();              // SIGTERM (mosquitto saves its persistence file) and wait
  void kill();              // SIGKILL: a crash
  void start();             // again, on the same port with the same config (waits until it accepts connections)
  std::string log() const;  // the broker's log file

 private:
  void write_config() const;
  bool try_start();

  BrokerConfig config_;
  TempDir tmp_{"mosquitto"};
  std::filesystem::path dir_ = tmp_.path;
  int port_ = 0;
  std::unique_ptr<ChildProcess> process_;
};

// The mosquitto executable (/usr/sbin/mosquitto on Debian).
std::string mosquitto_path();

}  // namespace edgeml::testing
