#include "postgres_server.hpp"

#include <pwd.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <thread>

#include "temp_dir.hpp"

namespace edgeml::testing {

namespace fs = std::filesystem;

namespace {
std::string find_bin() {
  if (const char* env = std::getenv("EDGEML_PG_BIN")) return env;
  for (const char* v : {"17", "16", "15", "14", "13"}) {
    std::string dir = std::string("/usr/lib/postgresql/") + v + "/bin";
    if (fs::exists(dir + "/initdb")) return dir;
  }
  throw std::runtime_error("PostgreSQL server binaries not found (install the postgresql package: scripts/setup.sh)");
}

// Runs a shell command (as the postgres user when we are root); returns its output, throws with it on failure.
std::string run(const std::string& cmd) {
  std::string full = (::geteuid() == 0 ? "runuser -u postgres -- " : "") + cmd + " 2>&1";
  FILE* p = ::popen(full.c_str(), "r");
  if (!p) throw std::runtime_error("cannot run " + cmd);
  std::string out;
  char buf[4096];
  while (size_t n = std::fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  int rc = ::pclose(p);
  if (rc != 0) throw std::runtime_error(cmd + " failed:\n" + out);
  return out;
}
}  // namespace

PostgresServer& PostgresServer::shared() {
  static PostgresServer server;
  return server;
}

PostgresServer::PostgresServer() {
  bin_ = find_bin();
  dir_ = (fs::temp_directory_path() / ("edgeml-pg-" + std::to_string(::getpid()))).string();
  fs::remove_all(dir_);
  fs::create_directories(dir_);
  if (::geteuid() == 0) {
    passwd* pw = ::getpwnam("postgres");
    if (!pw) throw std::runtime_error("no postgres user (install the postgresql package)");
    if (::chown(dir_.c_str(), pw->pw_uid, pw->pw_gid) != 0) throw std::runtime_error("cannot chown " + dir_);
  }
  run(bin_ + "/initdb -D " + dir_ + "/data -A trust -U postgres --no-sync -E UTF8");
  port_ = free_port();
  run(bin_ + "/pg_ctl -D " + dir_ + "/data -o \"-p " + std::to_string(port_) + " -k " + dir_ +
      " -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200\" -l " + dir_ + "/log -w start");
  std::ifstream pidfile(dir_ + "/data/postmaster.pid");
  pidfile >> pid_;
  if (pid_ <= 0) throw std::runtime_error("PostgreSQL started but wrote no PID");
}

PostgresServer::~PostgresServer() {
  if (pid_ > 0) {
    ::kill(pid_, SIGQUIT);  // immediate shutdown of the server we started, by its PID
    for (int i = 0; i < 100 && ::kill(pid_, 0) == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  std::error_code ec;
  fs::remove_all(dir_, ec);
}

std::string PostgresServer::create_database(const std::string& name) {
  run(bin_ + "/createdb -h 127.0.0.1 -p " + std::to_string(port_) + " -U postgres " + name);
  return "postgresql://postgres@127.0.0.1:" + std::to_string(port_) + "/" + name;
}

}  // namespace edgeml::testing
