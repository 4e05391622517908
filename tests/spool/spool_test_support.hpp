#pragma once
// A private temporary folder, and realistic samples for the spool tests.
#include <stdlib.h>

#include <filesystem>
#include <stdexcept>
#include <string>

#include "wire/telemetry_sample.hpp"

namespace edgeml::spool::testing {

class TempDir {
 public:
  TempDir() {
    std::string t = (std::filesystem::temp_directory_path() / "edgeml-spool-XXXXXX").string();
    if (!::mkdtemp(t.data())) throw std::runtime_error("mkdtemp failed");
    dir_ = t;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  const std::filesystem::path& path() const { return dir_; }
  std::filesystem::path operator/(const std::string& rel) const { return dir_ / rel; }

 private:
  std::filesystem::path dir_;
};

// A sample as a Jetson Nano reports it (POM_5V_IN 0.933 W idle, from the tests/fixtures capture), at time t.
inline wire::TelemetrySample nano_sample(double t) {
  wire::TelemetrySample s;
  s.t = t;
  s.cpu_usage_ratio = 0.31;
  s.memory_used_ratio = 0.52;
  s.storage_used_ratio = 0.41;
  s.temperature_c = 38.5;
  s.power_w = 0.933;
  s.active_model = "mobilenet_v2";
  return s;
}

}  // namespace edgeml::spool::testing
