#pragma once
// A private temporary folder, and realistic samples for the spool tests.
#include <stdlib.h>

#include <filesystem>
#include <stdexcept>
#include <string>

#include "temp_dir.hpp"
#include "wire/telemetry_sample.hpp"

namespace edgeml::spool::testing {

// The suite's one temporary-folder helper (tests/support/temp_dir.hpp).
using TempDir = edgeml::testing::TempDir;

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
