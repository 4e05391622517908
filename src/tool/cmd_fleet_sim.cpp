// edgeml fleet-sim --mqtt URL --devices N --hz F --seconds S [options]
// Plays N agents against an MQTT broker: each a real client with its own connection, sampling realistic telemetry,
// some losing their link and coming back. Progress on stderr; the last line on stdout is a JSON summary.
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "catalog/catalog.hpp"
#include "common/clock.hpp"
#include "common/error.hpp"
#include "common/strings.hpp"
#include "fleetsim/consumer.hpp"
#include "fleetsim/run.hpp"
#include "mqtt/credentials.hpp"
#include "tool/command.hpp"

namespace {
using namespace edgeml;
using nlohmann::json;

void usage() {
  std::fprintf(
      stderr,
      "usage: edgeml fleet-sim --mqtt URL --devices N --hz F --seconds S [options]\n"
      "  Simulates N agents, each its own MQTT client (client id sim-<index>), publishing batched telemetry\n"
      "  (QoS 1) to <prefix>/<device>/telemetry with retained status and a last will. Progress on stderr; the\n"
      "  last stdout line is a JSON summary: sent, acknowledged, dropped, reconnects, rates, CPU.\n"
      "options:\n"
      "  --threads T          event-loop threads (default 2)\n"
      "  --processes P        worker processes, the devices split between them (default 1; libmosquitto\n"
      "                       needs 3 open files per device, and one process may hold only so many)\n"
      "  --drop-share X       share of devices that lose their link once and come back (default 0)\n"
      "  --drop-seconds S     how long they stay away (default 10)\n"
      "  --device-type LIST   jetson_nano,rpi5 (default both, in turn)\n"
      "  --catalog PATH       benchmark CSVs (or DEVICE=PATH): devices report a measured model's latency\n"
      "                       and energy per inference; without it those fields are null\n"
      "  --consume            also subscribe and check what arrives: stored, duplicates, ingest lag\n"
      "  --consume-group G    consume through an MQTT 5 shared subscription $share/G/...\n"
      "  --prefix P           topic prefix (default edgeml)   --name-prefix N   device names N-00000 (sim)\n"
      "  --seed N (1)  --keepalive S (30)  --batch N (50)  --window N (4)  --max-backlog N (3600)\n"
      "  --drain-seconds S    wait this long at the end for unsent/unconfirmed samples (default 30)\n"
      "  --mqtt3              MQTT 3.1.1 instead of 5\n"
      "  --ca FILE --cert FILE --key FILE   for mqtts://\n"
      "  Credentials: EDGEML_MQTT_USERNAME, EDGEML_MQTT_PASSWORD or EDGEML_MQTT_PASSWORD_FILE.\n");
}

std::vector<fleetsim::ModelFigures> models_from(const std::vector<std::string>& paths) {
  std::vector<fleetsim::ModelFigures> out;
  if (paths.empty()) return out;
  catalog::Catalog cat;
  for (const auto& p : paths) cat.load(catalog::DataSource::parse(p));
  for (const auto& row : cat.rows()) {
    // Only clean rows with both figures a device would report: latency per inference and energy per inference.
    if (!row.clean() || !row.latency_avg_s || !row.energy_per_inference_mj) continue;
    out.push_back({row.model, row.device_type, *row.latency_avg_s, *row.energy_per_inference_mj / 1000,
                   std::filesystem::path(row.source).filename().string() + ":" + std::to_string(row.line)});
  }
  if (out.empty()) throw FieldError("--catalog", "no clean row with latency and energy per inference in --catalog");
  return out;
}

struct Parsed {
  fleetsim::FleetOptions fleet;
  fleetsim::RunSettings run;
  int processes = 1;
  bool consume = false;
  std::string consume_group;
};

int whole(const tool::Flags& f, const std::string& flag, double fallback, double lo, double hi) {
  double v = f.number(flag, fallback);
  if (v != static_cast<double>(static_cast<long long>(v)) || v < lo || v > hi)
    throw FieldError(flag, flag + " must be a whole number from " + format_number(lo) + " to " + format_number(hi));
  return static_cast<int>(v);
}

Parsed parse(const tool::Flags& f) {
  Parsed p;
  for (const char* required : {"--mqtt", "--devices", "--hz", "--seconds"})
    if (!f.has(required)) throw FieldError(required, std::string(required) + " is required (see --help)");
  auto& o = p.fleet;
  o.broker = mqtt::parse_broker_url(f.get("--mqtt"), "--mqtt");
  o.credentials = mqtt::credentials_from_env([](const char* k) { return std::getenv(k); });
  o.tls = {f.get("--ca"), f.get("--cert"), f.get("--key")};
  if (o.broker.tls) mqtt::check_tls_files(o.tls);
  o.protocol = f.has("--mqtt3") ? mqtt::Protocol::mqtt311 : mqtt::Protocol::mqtt5;
  o.prefix = f.get("--prefix", "edgeml");
  o.name_prefix = f.get("--name-prefix", "sim");
  o.devices = whole(f, "--devices", 10, 1, 100000);
  o.hz = f.number("--hz", 1);
  o.threads = whole(f, "--threads", 2, 1, 64);
  o.seed = static_cast<std::uint64_t>(whole(f, "--seed", 1, 1, 1e9));
  o.keepalive_s = whole(f, "--keepalive", 30, 5, 65535);
  o.drop_share = f.number("--drop-share", 0);
  o.drop_for_s = f.number("--drop-seconds", 10);
  o.max_backlog = static_cast<std::size_t>(whole(f, "--max-backlog", 3600, 1, 1e7));
  o.max_batch = static_cast<std::size_t>(whole(f, "--batch", 50, 1, 1000));
  o.window = static_cast<std::size_t>(whole(f, "--window", 4, 1, 1000));
  if (f.has("--device-type")) o.device_types = split(f.get("--device-type"), ',');
  o.models = models_from(f.all("--catalog"));
  double seconds = f.number("--seconds", 10);
  if (!(seconds > 0 && seconds <= 7 * 86400)) throw FieldError("--seconds", "--seconds must be > 0 and <= 7 days");
  o.run_s = seconds;
  p.run.seconds = seconds;
  p.run.drain_s = f.number("--drain-seconds", 30);
  if (!(p.run.drain_s >= 0)) throw FieldError("--drain-seconds", "--drain-seconds must be >= 0");
  p.processes = whole(f, "--processes", 1, 1, 64);
  if (p.processes > o.devices) throw FieldError("--processes", "--processes must not exceed --devices");
  p.consume = f.has("--consume") || f.has("--consume-group");
  p.consume_group = f.get("--consume-group");
  fleetsim::Fleet check(o);  // every remaining option, before any process or connection starts
  return p;
}

std::string progress_line(double elapsed, const fleetsim::FleetTotals& t, int devices, const fleetsim::Consumer* c) {
  char buf[512];
  std::snprintf(buf, sizeof buf,
                "fleet-sim %6.1f s: %llu/%d connected, sent %llu, acknowledged %llu, backlog %llu, dropped %llu, "
                "reconnects %llu",
                elapsed, static_cast<unsigned long long>(t.connected), devices, static_cast<unsigned long long>(t.sent),
                static_cast<unsigned long long>(t.acknowledged), static_cast<unsigned long long>(t.backlog),
                static_cast<unsigned long long>(t.dropped), static_cast<unsigned long long>(t.reconnects));
  std::string line = buf;
  if (c) line += ", consumer stored " + std::to_string(c->stored());
  return line;
}

// Runs devices [first, first + count) in a child process, once the parent says go (its consumer is subscribed by
// then); the result comes back as one JSON line on a pipe. Forked before the parent starts any thread.
pid_t spawn_worker(const Parsed& p, int first, int count, int go_fd, int out_fd) {
  pid_t pid = ::fork();
  if (pid != 0) return pid;
  int rc = 0;
  try {
    char go = 0;
    if (::read(go_fd, &go, 1) != 1) ::_exit(2);  // the parent gave up
    auto o = p.fleet;
    o.first_index = first;
    o.devices = count;
    o.total_devices = p.fleet.devices;
    fleetsim::ensure_descriptors(count);
    auto r = fleetsim::run_fleet(o, p.run);
    std::string line = r.to_json().dump() + "\n";
    if (::write(out_fd, line.data(), line.size()) != static_cast<ssize_t>(line.size())) rc = 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "fleet-sim worker %d-%d: %s\n", first, first + count - 1, e.what());
    rc = 1;
  }
  std::fflush(stderr);
  ::_exit(rc);
}

std::unique_ptr<fleetsim::Consumer> make_consumer(const Parsed& p) {
  if (!p.consume) return nullptr;
  const auto& o = p.fleet;
  fleetsim::ConsumerOptions co;
  co.client.broker = o.broker;
  co.client.credentials = o.credentials;
  co.client.tls = o.tls;
  co.client.protocol = o.protocol;
  co.client.client_id = o.name_prefix + "-consumer";
  co.client.clean_session = false;  // a persistent session, as the controller's: messages wait for it across a
                                    // broker restart (with broker persistence)
  co.prefix = o.prefix;
  co.shared_group = p.consume_group;
  return std::make_unique<fleetsim::Consumer>(co);
}

// Starts the consumer and waits until it is connected and subscribed.
void start_consumer(fleetsim::Consumer& c, const mqtt::BrokerUrl& broker) {
  c.start();
  for (int i = 0; i < 100 && !c.connected(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  if (!c.connected())
    throw Error(ErrorKind::upstream_failed, "the consumer could not connect to " + broker.to_string());
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // its SUBACK
}

int run_fleet_sim(const tool::Args& args) {
  tool::Flags f(args,
                {"--mqtt",          "--devices",      "--hz",          "--seconds", "--threads",       "--processes",
                 "--drop-share",    "--drop-seconds", "--device-type", "--catalog", "--consume-group", "--prefix",
                 "--name-prefix",   "--seed",         "--keepalive",   "--batch",   "--window",        "--max-backlog",
                 "--drain-seconds", "--ca",           "--cert",        "--key"},
                {"--help", "--consume", "--mqtt3"});
  if (f.has("--help")) {
    usage();
    return 0;
  }
  auto p = parse(f);
  const auto& o = p.fleet;
  auto consumer = make_consumer(p);

  auto run = p.run;
  run.progress = [&](double elapsed, const fleetsim::FleetTotals& t) {
    std::fprintf(stderr, "%s\n", progress_line(elapsed, t, o.devices, consumer.get()).c_str());
  };
  // Before the devices close, give the consumer a moment to take in what the broker confirmed.
  auto wait_for_consumer = [&](std::uint64_t acknowledged) {
    if (!consumer) return;
    for (int i = 0; i < 100 && consumer->stored() < acknowledged; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
  };
  run.before_close = [&](const fleetsim::FleetTotals& t) { wait_for_consumer(t.acknowledged); };

  json summary;
  fleetsim::RunResult total;
  if (p.processes == 1) {
    fleetsim::ensure_descriptors(o.devices);
    if (consumer) start_consumer(*consumer, o.broker);
    total = fleetsim::run_fleet(o, run);
  } else {
    std::vector<std::pair<pid_t, int>> workers;
    std::vector<int> go;
    int first = 0;
    for (int k = 0; k < p.processes; ++k) {
      int count = o.devices / p.processes + (k < o.devices % p.processes ? 1 : 0);
      int out[2], start[2];
      if (::pipe(out) != 0 || ::pipe(start) != 0) throw std::runtime_error("pipe failed");
      pid_t pid = spawn_worker(p, first, count, start[0], out[1]);
      ::close(out[1]);
      ::close(start[0]);
      workers.emplace_back(pid, out[0]);
      go.push_back(start[1]);
      first += count;
    }
    if (consumer) start_consumer(*consumer, o.broker);
    for (int fd : go) {
      if (::write(fd, "g", 1) != 1) throw std::runtime_error("a worker process is gone");
      ::close(fd);
    }
    double t0 = SystemClock().monotonic_s();
    while (SystemClock().monotonic_s() - t0 < p.run.seconds) {
      std::this_thread::sleep_for(std::chrono::seconds(1));
      std::fprintf(stderr, "fleet-sim %6.1f s: %d worker processes%s\n", SystemClock().monotonic_s() - t0, p.processes,
                   consumer ? (", consumer stored " + std::to_string(consumer->stored())).c_str() : "");
    }
    int failed = 0;
    total.connect_s = 0;
    for (auto [pid, fd] : workers) {
      std::string text;
      char buf[4096];
      for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;) text.append(buf, static_cast<std::size_t>(n));
      ::close(fd);
      int status = 0;
      ::waitpid(pid, &status, 0);
      auto j = json::parse(text, nullptr, false);
      if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || !j.is_object()) {
        ++failed;
        continue;
      }
      fleetsim::FleetTotals t;
      t.generated = j["generated"];
      t.skipped = j["skipped"];
      t.sent = j["sent"];
      t.acknowledged = j["acknowledged"];
      t.dropped = j["dropped"];
      t.messages = j["messages"];
      t.backlog = j["unsent"];
      t.in_flight = j["unacknowledged"];
      t.link_drops = j["link_drops"];
      t.connected = j["connected"];
      t.connects = j["connects"];
      t.reconnects = j["reconnects"];
      t.connect_failures = j["connect_failures"];
      t.connect_refused = j["connect_refused"];
      t.connection_lost = j["connection_lost"];
      t.publish_refused = j["publish_refused"];
      total.totals.add(t);
      total.cpu_user_s += j["cpu"]["user_s"].get<double>();
      total.cpu_system_s += j["cpu"]["system_s"].get<double>();
      total.wall_s = std::max(total.wall_s, j["wall_s"].get<double>());
      double c = j["connect_s"].is_number() ? j["connect_s"].get<double>() : -1;
      total.connect_s = (c < 0 || total.connect_s < 0) ? -1 : std::max(total.connect_s, c);
    }
    if (failed) throw std::runtime_error(std::to_string(failed) + " worker process(es) failed (see stderr)");
    wait_for_consumer(total.totals.acknowledged);
  }

  summary = total.to_json();
  summary["devices"] = o.devices;
  summary["hz"] = o.hz;
  summary["seconds"] = p.run.seconds;
  summary["threads"] = o.threads;
  summary["processes"] = p.processes;
  summary["drop_share"] = o.drop_share;
  summary["rates"] = {{"sent_per_s", static_cast<double>(total.totals.sent) / p.run.seconds},
                      {"acknowledged_per_s", static_cast<double>(total.totals.acknowledged) / p.run.seconds},
                      {"messages_per_s", static_cast<double>(total.totals.messages) / p.run.seconds}};
  summary["cpu"]["share_of_one_core"] = (total.cpu_user_s + total.cpu_system_s) / total.wall_s;
  if (consumer) {
    auto cs = consumer->stats();
    consumer->stop();
    summary["consumer"] = cs.to_json();
  }
  std::printf("%s\n", summary.dump().c_str());
  std::fflush(stdout);
  return 0;
}

edgeml::tool::Registrar reg{"fleet-sim", "simulate N agents over MQTT (load and fault test)", run_fleet_sim};

}  // namespace
