#pragma once
// A real PostgreSQL server for tests: initdb in a temporary folder, started on a free 127.0.0.1 port (as the
// postgres user when the tests run as root: PostgreSQL refuses to run as root), stopped by its PID when the test
// process ends. One per test process, started on first use.
#include <string>

namespace edgeml::testing {

class PostgresServer {
 public:
  static PostgresServer& shared();  // throws std::runtime_error (with initdb's/pg_ctl's output) when it cannot start
  // A new, empty database on the server; returns its URL ("postgresql://postgres@127.0.0.1:PORT/NAME").
  std::string create_database(const std::string& name);
  int port() const { return port_; }
  int pid() const { return pid_; }
  ~PostgresServer();

 private:
  PostgresServer();
  std::string dir_;
  std::string bin_;
  int port_ = 0;
  int pid_ = 0;
};

}  // namespace edgeml::testing
