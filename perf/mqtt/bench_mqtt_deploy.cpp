// bench_mqtt_deploy [--rounds N] [--mb M]
// The MQTT deploy path without the model load: a controller-side client publishes a deploy command (QoS 1); the
// agent-side client takes it (spool/command_intake: parse, journal fsync), answers "accepted", pulls the file over
// HTTP from a local server with libcurl (src/fetch: sha256 checked, resumable), and answers "succeeded". Times from
// publish to "accepted" and to "succeeded", over N rounds; a real mosquitto is started for it. Activation (loading the
// model, its health-check inference) is the agent's and is not in these figures: bench_deploy measures it on the HTTP
// path.
#include <httplib.h>
#include <stdlib.h>

#include <algorithm>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <map>
#include <mutex>
#include <random>
#include <thread>

#include "common/clock.hpp"
#include "common/sha256.hpp"
#include "fetch/downloader.hpp"
#include "mosquitto_broker.hpp"
#include "mqtt/client.hpp"
#include "mqtt/event_loop.hpp"
#include "spool/command_intake.hpp"
#include "wire/topics.hpp"

using namespace edgeml;
namespace fs = std::filesystem;

namespace {

double pct(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[std::min(v.size() - 1, static_cast<std::size_t>(p / 100 * static_cast<double>(v.size())))];
}

mqtt::ClientOptions options(const std::string& url, const std::string& id) {
  mqtt::ClientOptions o;
  o.broker = mqtt::parse_broker_url(url);
  o.client_id = id;
  o.log_connections = false;
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  int rounds = 20;
  double mb = 8;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    if (a == "--rounds") rounds = std::atoi(argv[i + 1]);
    if (a == "--mb") mb = std::atof(argv[i + 1]);
  }
  SystemClock clock;
  wire::TopicScheme topics;
  std::string tmpl = (fs::temp_directory_path() / "edgeml-bench-mqtt-XXXXXX").string();
  if (!::mkdtemp(tmpl.data())) return 1;
  fs::path dir = tmpl;

  // The artifact store: one random file (model-sized) served over loopback HTTP.
  std::string model(static_cast<std::size_t>(mb * 1024 * 1024), '\0');
  std::mt19937_64 rng(1);
  for (auto& c : model) c = static_cast<char>(rng());
  std::string sha = sha256_hex(model);
  httplib::Server http;
  http.Get("/models/bench.onnx", [&](const httplib::Request&, httplib::Response& res) {
    res.set_content(model, "application/octet-stream");
  });
  int http_port = http.bind_to_any_port("127.0.0.1");
  std::thread http_thread([&] { http.listen_after_bind(); });

  edgeml::testing::BrokerConfig broker_config;
  broker_config.global_lines = {"set_tcp_nodelay true"};  // as deploy/mosquitto/edgeml.conf
  edgeml::testing::MosquittoBroker broker(broker_config);

  // The agent's side.
  spool::CommandJournal journal(dir / "commands.jsonl", clock);
  wire::RefusalCounters refusals;
  std::unique_ptr<mqtt::Client> agent;
  std::vector<std::thread> jobs;
  auto reply = [&](const wire::Event& e) {
    agent->publish(topics.topic("bench-agent", wire::Channel::events), wire::encode(e), 1, false);
  };
  mqtt::ClientCallbacks agent_cb;
  agent_cb.on_message = [&](const mqtt::IncomingMessage& m) {
    auto intake = spool::take_command(m.payload, "bench-agent", journal, clock, refusals);
    if (intake.reply) reply(*intake.reply);
    if (!intake.run) return;
    auto cmd = *intake.run;
    jobs.emplace_back([&, cmd] {  // the download runs beside the MQTT loop, as the agent's deploy job does
      const auto& d = std::get<wire::DeployPayload>(cmd.payload);
      wire::Event e;
      e.device = "bench-agent";
      e.command_id = cmd.id;
      e.kind = wire::EventKind::succeeded;
      try {
        fetch::DownloadOptions o;
        o.sha256 = d.sha256;
        fetch::download_file(d.model_url, dir / (cmd.id + ".onnx"), o);
      } catch (const std::exception& ex) {
        e.kind = wire::EventKind::failed;
        e.failure = wire::FailureKind::download;
        e.message = ex.what();
      }
      e.at = clock.now_s();
      journal.record_outcome(e);
      reply(e);
    });
  };
  auto ao = options(broker.url(), "bench-agent");
  ao.subscriptions = {{topics.topic("bench-agent", wire::Channel::command), 1}};
  agent = std::make_unique<mqtt::Client>(ao, agent_cb);

  // The controller's side.
  std::mutex mu;
  std::condition_variable cv;
  std::map<std::string, double> accepted_at, done_at;
  mqtt::ClientCallbacks ctl_cb;
  ctl_cb.on_message = [&](const mqtt::IncomingMessage& m) {
    auto e = wire::parse_event(m.payload);
    double now = clock.monotonic_s();
    std::lock_guard lock(mu);
    (e.kind == wire::EventKind::accepted ? accepted_at : done_at)[e.command_id] = now;
    cv.notify_all();
  };
  auto co = options(broker.url(), "controller");
  co.subscriptions = {{topics.all_devices(wire::Channel::events), 1}};
  mqtt::Client controller(co, ctl_cb);

  mqtt::EventLoop agent_loop, controller_loop;  // two services, two threads (as two processes would be)
  agent_loop.add(*agent);
  controller_loop.add(controller);
  agent_loop.start();
  controller_loop.start();
  while (!agent->connected() || !controller.connected()) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));

  std::vector<double> to_accepted, to_done;
  std::string url = "http://127.0.0.1:" + std::to_string(http_port) + "/models/bench.onnx";
  for (int r = 0; r < rounds; ++r) {
    std::string id = "deploy-" + std::to_string(r);
    wire::Command c{id, "bench-agent", clock.now_s(), clock.now_s() + 60,
                    wire::DeployPayload{"bench", url, sha, model.size(), true}};
    double t0 = clock.monotonic_s();
    controller.publish(topics.topic("bench-agent", wire::Channel::command), wire::encode(c), 1, false);
    std::unique_lock lock(mu);
    if (!cv.wait_for(lock, std::chrono::seconds(30), [&] { return done_at.count(id) > 0; })) {
      std::fprintf(stderr, "round %d: no result within 30 s\n", r);
      return 1;
    }
    to_accepted.push_back(accepted_at[id] - t0);
    to_done.push_back(done_at[id] - t0);
  }
  std::printf(
      "MQTT deploy path, %d rounds, %.1f MB over loopback (mosquitto %d, QoS 1, journal fsync, libcurl pull, "
      "sha256), model load not included:\n",
      rounds, mb, broker.port());
  std::printf("  command -> accepted: p50 %.1f ms, p90 %.1f ms, max %.1f ms\n", 1e3 * pct(to_accepted, 50),
              1e3 * pct(to_accepted, 90), 1e3 * pct(to_accepted, 100));
  std::printf("  command -> succeeded: p50 %.1f ms, p90 %.1f ms, max %.1f ms\n", 1e3 * pct(to_done, 50),
              1e3 * pct(to_done, 90), 1e3 * pct(to_done, 100));
  agent->close(std::nullopt);
  controller.close(std::nullopt);
  agent_loop.stop();
  controller_loop.stop();
  for (auto& j : jobs) j.join();
  http.stop();
  http_thread.join();
  fs::remove_all(dir);
  return 0;
}
