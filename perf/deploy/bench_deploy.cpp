// bench_deploy [--deploys N] [--agents N] [--seconds S]
//  1. deploy: a controller and an agent on loopback; ~8 MB zoo models (mobilenetv3_small_075, mobilenetv2_050)
//     deployed alternately N times; each POST /api/deploy covers the gate, the agent's pull and sha256 check, the
//     load with its health-check inference and the controller's health check. The first deploy of each model also
//     generates it (reported apart).
//  2. poll: a controller polling N tiny local HTTP servers' /telemetry every second; its CPU time (utime+stime from
//     /proc/<pid>/stat) over S seconds, as a share of one core, and the samples stored.
#include <httplib.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <thread>

#include "common/strings.hpp"
#include "deploy_support.hpp"

using namespace edgeml;
using namespace edgeml::deploy_test;

namespace {

double cpu_seconds(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string s((std::istreambuf_iterator<char>(in)), {});
  auto close = s.rfind(')');
  auto fields = split_whitespace(s.substr(close + 2));
  // fields[0] is state (field 3); utime is field 14, stime field 15.
  return (std::stod(fields[11]) + std::stod(fields[12])) / sysconf(_SC_CLK_TCK);
}

double now_s() { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); }

void bench_deploy(int n) {
  TempDir agent_dir("bench-agent");
  auto controller = start_controller(controller_state("bench-deploy", true));
  auto agent = start_agent("jetson_nano_l4t32", agent_dir.path);
  controller->post("/api/devices", {{"name", "nano"}, {"address", agent->address()}, {"device_type", "jetson_nano"}});
  const char* models[] = {"mobilenetv3_small_075", "mobilenetv2_050"};
  std::vector<double> times;
  std::map<std::string, double> transfer, activation;
  for (int i = 0; i < n + 2; ++i) {
    std::string m = models[i % 2];
    double t0 = now_s();
    auto r = controller->post("/api/deploy", {{"device", "nano"}, {"model_name", m}});
    double dt = now_s() - t0;
    if (r.status != 200) {
      std::fprintf(stderr, "deploy failed: %s\n", r.raw.c_str());
      std::exit(1);
    }
    if (i < 2) {
      std::printf("first deploy of %-22s (zoo build included): %.3f s, %s\n", m.c_str(), dt,
                  r.body["artifact_file"].get<std::string>().c_str());
      continue;
    }
    times.push_back(dt);
    std::fprintf(stderr, "deploy %d/%d %s %.3f s (transfer %.3f, activation %.3f)\n", i - 1, n, m.c_str(), dt,
                 r.body["step_times"]["transfer"].get<double>(), r.body["step_times"]["activation"].get<double>());
  }
  auto file = controller->client().Get("/models/mobilenetv3_small_075.onnx");
  std::sort(times.begin(), times.end());
  std::printf("deploy of %.1f MB model over loopback, %d runs: median %.3f s, min %.3f s, max %.3f s\n",
              file->body.size() / 1048576.0, n, times[times.size() / 2], times.front(), times.back());
}

void bench_poll(int agents, int seconds) {
  // Tiny agents: one server per port answering /telemetry with the shape a real agent sends.
  std::string body =
      R"({"timestamp":0,"cpu":{"cores":4,"usage_ratio":0.12,"load1":0.5},"memory":{"total_bytes":4000000000,
    "available_bytes":2000000000,"used_ratio":0.5},"thermal":{"max_celsius":41.5},"power":{"total_watts":4.2,
    "total_method":"ina3221"},"energy_model":{"available":true,"model":"m","per_inference_j":0.05}})";
  std::vector<std::unique_ptr<httplib::Server>> servers;
  std::vector<std::thread> threads;
  std::vector<int> ports;
  for (int i = 0; i < agents; ++i) {
    auto s = std::make_unique<httplib::Server>();
    s->new_task_queue = [] { return new httplib::ThreadPool(1); };
    s->Get("/telemetry",
           [&body](const httplib::Request&, httplib::Response& res) { res.set_content(body, "application/json"); });
    ports.push_back(s->bind_to_any_port("127.0.0.1"));
    threads.emplace_back([srv = s.get()] { srv->listen_after_bind(); });
    servers.push_back(std::move(s));
  }
  TempDir state("bench-poll");
  auto controller = start_controller(state.path, {"--poll-interval", "1"}, {}, false);
  for (int i = 0; i < agents; ++i)
    controller->post("/api/devices", {{"name", "a" + std::to_string(i)},
                                      {"address", "127.0.0.1:" + std::to_string(ports[i])},
                                      {"device_type", "jetson_nano"}});
  std::this_thread::sleep_for(std::chrono::seconds(3));  // warm-up: connections opened
  int pid = controller->pid();
  double c0 = cpu_seconds(pid), t0 = now_s();
  std::this_thread::sleep_for(std::chrono::seconds(seconds));
  double c1 = cpu_seconds(pid), t1 = now_s();
  auto devs = controller->get("/api/devices").body["devices"];
  int online = 0;
  for (const auto& d : devs) online += d["online"].get<bool>();
  long long samples = 0;
  for (int i = 0; i < std::min(agents, 5); ++i)
    samples += controller->get("/api/devices/" + std::to_string(devs[i]["id"].get<long long>()) + "/telemetry")
                   .body["count"]
                   .get<long long>();
  std::printf(
      "polling %d agents every 1 s for %.0f s: controller CPU %.2f%% of one core; %d online; "
      "%.1f samples per device stored (first 5 devices)\n",
      agents, t1 - t0, (c1 - c0) / (t1 - t0) * 100.0, online, samples / std::min(agents, 5) * 1.0);
  controller.reset();
  for (auto& s : servers) s->stop();
  for (auto& t : threads) t.join();
}

}  // namespace

int main(int argc, char** argv) {
  int deploys = 10, agents = 100, seconds = 30;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    int v = std::atoi(argv[i + 1]);
    if (a == "--deploys")
      deploys = v;
    else if (a == "--agents")
      agents = v;
    else if (a == "--seconds")
      seconds = v;
  }
  bench_deploy(deploys);
  bench_poll(agents, seconds);
}
