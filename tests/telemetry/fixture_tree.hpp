#pragma once
// A private copy of one tests/fixtures tree in a temporary folder, so a test can change sensor values between samples.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "telemetry/reader.hpp"
#include "temp_dir.hpp"

namespace edgeml::telemetry::testing {

class FixtureTree {
 public:
  explicit FixtureTree(const std::string& name) : tmp_("telemetry"), dir_(tmp_.path / "tree") {
    std::filesystem::copy(std::filesystem::path(EDGEML_FIXTURES_DIR) / name, dir_,
                          std::filesystem::copy_options::recursive);
  }
  FixtureTree(const FixtureTree&) = delete;
  FixtureTree& operator=(const FixtureTree&) = delete;

  // Every root inside the copy, so no test reads the host: the vcgencmd stand-in exists only in the rpi5 tree
  // (elsewhere it is absent, as on those devices) and <tree>/etc, <tree>/var hold the Jetson nvpmodel files.
  Roots roots() const {
    Roots r{dir_ / "sys", dir_ / "proc", dir_};
    r.vcgencmd = dir_ / "bin" / "vcgencmd";
    r.rootfs = dir_;
    return r;
  }
  std::filesystem::path path(const std::string& rel) const { return dir_ / rel; }

  // Writes like sysfs does: the value and a newline. Creates parent folders for new files.
  void write(const std::string& rel, const std::string& value) const {
    auto p = dir_ / rel;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p, std::ios::trunc) << value << "\n";
  }
  void write(const std::string& rel, long long value) const { write(rel, std::to_string(value)); }
  void remove(const std::string& rel) const { std::filesystem::remove_all(dir_ / rel); }

 private:
  edgeml::testing::TempDir tmp_;
  std::filesystem::path dir_;
};

}  // namespace edgeml::telemetry::testing
