#pragma once
// A fresh folder under the system temp dir for one test, removed with everything in it when the test ends. The one
// temporary-folder helper of the test suite.
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <string>

namespace edgeml::testing {

class TempDir {
 public:
  explicit TempDir(const std::string& label = "test") {
    static std::atomic<int> n{0};
    path = std::filesystem::temp_directory_path() /
           ("edgeml-" + label + "-" + std::to_string(::getpid()) + "-" + std::to_string(n++));
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::filesystem::path operator/(const std::string& name) const { return path / name; }

  std::filesystem::path path;
};

// A TCP port on 127.0.0.1 that was free a moment ago (the kernel picked it), for servers that cannot bind port 0.
int free_port();

}  // namespace edgeml::testing
