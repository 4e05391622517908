#pragma once
// For the issue 14 service tests: a real agent on a copy of a fixture device's /sys that the test writes to (its
// temperature, its battery), and a controller that polls it often.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "deploy_support.hpp"

namespace edgeml::deploy_test {

// A copy of tests/fixtures/jetson_nano_l4t32 the test writes to, and an agent reading it.
class HotDevice {
 public:
  explicit HotDevice(std::vector<std::string> extra = {}) : dir_("alerts-nano") {
    std::filesystem::copy(std::filesystem::path(EDGEML_FIXTURES_DIR) / "jetson_nano_l4t32", dir_.path / "tree",
                          std::filesystem::copy_options::recursive | std::filesystem::copy_options::copy_symlinks);
    set_celsius(30);
    std::vector<std::string> argv{edgeml::testing::bin("edgeml-agent"),
                                  "--host",
                                  "127.0.0.1",
                                  "--port",
                                  "0",
                                  "--state",
                                  (dir_.path / "state").string(),
                                  "--sysfs-root",
                                  (dir_.path / "tree" / "sys").string(),
                                  "--procfs-root",
                                  (dir_.path / "tree" / "proc").string(),
                                  "--telemetry-hz",
                                  "10"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    agent_ = std::make_unique<Service>(argv);
  }
  // Every thermal zone the agent reads (the PMIC's fixed 100 C is skipped by the reader) at `c`.
  void set_celsius(double c) {
    for (int zone : {0, 1, 2, 3, 5}) {
      std::filesystem::path f =
          dir_.path / "tree" / "sys/class/thermal" / ("thermal_zone" + std::to_string(zone)) / "temp";
      std::ofstream(f.string() + ".tmp") << std::llround(c * 1000) << "\n";
      std::filesystem::rename(f.string() + ".tmp", f);
    }
  }
  const Service& agent() const { return *agent_; }

 private:
  TempDir dir_;
  std::unique_ptr<Service> agent_;
};

inline std::unique_ptr<Service> controller_on(const std::filesystem::path& state,
                                              std::map<std::string, std::string> env = {}) {
  return start_controller(state, {"--poll-interval", "0.2", "--alert-backoff", "0.1"}, env);
}

inline void register_device(const Service& controller, const Service& agent, const std::string& name) {
  auto r =
      controller.post("/api/devices", {{"name", name}, {"address", agent.address()}, {"device_type", "jetson_nano"}});
  ASSERT_EQ(r.status, 201) << r.raw;
}

}  // namespace edgeml::deploy_test
