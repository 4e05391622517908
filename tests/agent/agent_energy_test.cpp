// Energy per inference on the agent, like for like with the catalog: a real edgeml-agent on a copy of the Jetson Nano
// fixture tree (INA3221 POM_5V_IN = 0.933 W, a constant), running a model whose latency L it measures, at two loop
// rates. Gross energy per inference must be P x L whatever the rate (the idle time between ticks is counted apart),
// idle power and duty cycle are reported, and a power change written into the fixture while the agent runs shows up.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "agent_test_support.hpp"
#include "common/files.hpp"

using namespace edgeml::agent_test;
using json = nlohmann::json;
namespace fs = std::filesystem;

namespace {

const char* kTotalRail = "nano/sys/bus/i2c/drivers/ina3221x/6-0040/iio:device0/in_power0_input";  // POM_5V_IN, mW

struct NanoAgent {
  TempDir dir;
  std::unique_ptr<AgentProcess> agent;

  explicit NanoAgent(double infer_hz) {
    fs::copy(std::string(EDGEML_FIXTURES_DIR) + "/jetson_nano_l4t32", dir.path / "nano", fs::copy_options::recursive);
    agent = std::make_unique<AgentProcess>(
        dir.path / "state", std::vector<std::string>{"--sysfs-root", (dir.path / "nano/sys").string(), "--procfs-root",
                                                     (dir.path / "nano/proc").string(), "--telemetry-hz", "10",
                                                     "--infer-hz", std::to_string(infer_hz)});
  }
  void set_power_mw(int mw) { edgeml::write_file_atomic(dir.path / kTotalRail, std::to_string(mw) + "\n"); }
  json telemetry() {
    auto r = agent->client().Get("/telemetry");
    if (!r || r->status != 200) throw std::runtime_error("GET /telemetry failed\n" + agent->log_tail());
    return json::parse(r->body);
  }
};

void expect_gross_is_power_times_latency(double infer_hz) {
  SCOPED_TRACE("loop at " + std::to_string(infer_hz) + " Hz");
  NanoAgent a(infer_hz);
  ASSERT_EQ(a.agent->put_model("mm", matmul_onnx(8, 512), "", "?activate=1")->status, 201) << a.agent->log_tail();
  std::this_thread::sleep_for(std::chrono::seconds(3));
  json t = a.telemetry();
  const json& e = t["energy_model"];
  ASSERT_TRUE(e["available"].get<bool>()) << e.dump(2);
  ASSERT_GT(e["inferences"].get<double>(), infer_hz) << e.dump(2);
  const double latency_s = t["inference"]["latency_mean_s"].get<double>();
  const double p = 0.933;
  ASSERT_GT(latency_s, 0);
  std::cerr << "loop " << infer_hz << " Hz: gross " << e["gross_energy_per_inference_mj"].get<double>()
            << " mJ/inference vs P x L = " << p * latency_s * 1000 << " mJ (L = " << latency_s * 1000
            << " ms); all energy / inferences = " << e["energy_j"].get<double>() / e["inferences"].get<double>() * 1000
            << " mJ; duty cycle " << e["duty_cycle"].get<double>() << "; idle power " << e["idle_power_w"].get<double>()
            << " W\n";
  // Like for like: P x L, not (all energy since activation) / inferences.
  EXPECT_NEAR(e["gross_energy_per_inference_mj"].get<double>(), p * latency_s * 1000, 0.10 * p * latency_s * 1000)
      << e.dump(2) << "\nlatency " << latency_s;
  const double everything_per_inference_mj =
      e["energy_j"].get<double>() / e["inferences"].get<double>() * 1000;  // the old, idle-inclusive figure
  EXPECT_GT(everything_per_inference_mj, 3 * e["gross_energy_per_inference_mj"].get<double>());
  // Idle power is measured between inferences; at constant power it is that power, and nothing is left for the net.
  EXPECT_NEAR(e["idle_power_w"].get<double>(), p, 1e-9);
  EXPECT_NEAR(e["net_energy_per_inference_mj"].get<double>(), 0, 0.10 * p * latency_s * 1000);
  // Duty cycle = rate x latency (the loop is idle most of the time), energy per hour = P x 1 h.
  EXPECT_NEAR(e["duty_cycle"].get<double>(), infer_hz * latency_s, 0.5 * infer_hz * latency_s + 0.002) << e.dump(2);
  EXPECT_NEAR(e["energy_per_hour_mwh"].get<double>(), p * 1000, 1e-6);
  EXPECT_NEAR(e["split_j"]["inference"].get<double>() + e["split_j"]["idle"].get<double>(), e["energy_j"].get<double>(),
              1e-9);
  EXPECT_FALSE(e["method"].get<std::string>().empty());
  EXPECT_DOUBLE_EQ(e["per_inference_j"].get<double>() * 1000, e["gross_energy_per_inference_mj"].get<double>());
  EXPECT_NE(e["source"].get<std::string>().find("ina3221x"), std::string::npos) << e.dump(2);

  // The same figures in Prometheus text.
  auto m = a.agent->client().Get("/metrics")->body;
  EXPECT_NE(m.find("edgeml_inference_gross_energy_millijoules{model=\"mm\"}"), std::string::npos) << m;
  EXPECT_NE(m.find("edgeml_idle_power_watts{model=\"mm\"} 0.933"), std::string::npos);
  EXPECT_NE(m.find("edgeml_model_energy_joules{model=\"mm\",part=\"idle\"}"), std::string::npos);

  // The board now draws twice as much: the current rate, idle power and the recent gross figure follow within the
  // rate window (2 s at 10 Hz).
  a.set_power_mw(1866);
  std::this_thread::sleep_for(std::chrono::milliseconds(3500));
  json e2 = a.telemetry()["energy_model"];
  EXPECT_NEAR(e2["energy_per_hour_mwh"].get<double>(), 1866, 1866 * 0.02) << e2.dump(2);
  EXPECT_NEAR(e2["idle_power_w"].get<double>(), 1.866, 1e-9);
  const double recent_busy_s = e2["current_mean_busy_s_per_inference"].get<double>();
  EXPECT_NEAR(e2["current_gross_energy_per_inference_mj"].get<double>(), 1.866 * recent_busy_s * 1000,
              0.10 * 1.866 * recent_busy_s * 1000)
      << e2.dump(2);
}

}  // namespace

TEST(AgentEnergy, GrossEnergyPerInferenceIsPowerTimesLatencyAtASlowLoop) { expect_gross_is_power_times_latency(5); }

TEST(AgentEnergy, GrossEnergyPerInferenceIsPowerTimesLatencyAtAFastLoop) { expect_gross_is_power_times_latency(50); }

TEST(AgentEnergy, WithoutALoopThereIsNoPerInferenceFigureAndItSaysWhy) {
  NanoAgent a(0);
  ASSERT_EQ(a.agent->put_model("mm", matmul_onnx(2, 64), "", "?activate=1")->status, 201);
  std::this_thread::sleep_for(std::chrono::milliseconds(800));
  json e = a.telemetry()["energy_model"];
  ASSERT_TRUE(e["available"].get<bool>()) << e.dump(2);
  EXPECT_TRUE(e["gross_energy_per_inference_mj"].is_null());
  EXPECT_NE(e["gross_energy_per_inference_reason"].get<std::string>().find("loop is off"), std::string::npos);
  EXPECT_NEAR(e["idle_power_w"].get<double>(), 0.933, 1e-9);
  EXPECT_EQ(e["duty_cycle"].get<double>(), 0.0);
}
