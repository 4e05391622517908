#include "hold_options.hpp"

#include <functional>
#include <map>

#include "common/error.hpp"
#include "common/strings.hpp"

namespace edgeml::perf {
namespace {

// http://127.0.0.1:PORT (or localhost), optional trailing slash, nothing else: the tool only loads this machine.
void parse_target(const std::string& url, HoldOptions& o) {
  const std::string scheme = "http://";
  if (url.rfind(scheme, 0) != 0) throw FieldError("--target", "expected http://127.0.0.1:PORT, got '" + url + "'");
  std::string rest = url.substr(scheme.size());
  if (!rest.empty() && rest.back() == '/') rest.pop_back();
  auto colon = rest.rfind(':');
  if (colon == std::string::npos)
    throw FieldError("--target", "no port in '" + url + "' (expected http://127.0.0.1:PORT)");
  std::string host = rest.substr(0, colon);
  if (host != "127.0.0.1" && host != "localhost")
    throw FieldError("--target", "only 127.0.0.1 (loopback) may be loaded, got host '" + host + "'");
  auto port = parse_int(rest.substr(colon + 1));
  if (!port || *port < 1 || *port > 65535)
    throw FieldError("--target", "port must be 1..65535, got '" + rest.substr(colon + 1) + "'");
  o.host = "127.0.0.1";
  o.port = static_cast<int>(*port);
}

int int_in(const std::string& flag, const std::string& v, long long lo, long long hi) {
  auto n = parse_int(v);
  if (!n || *n < lo || *n > hi)
    throw FieldError(
        flag, flag + " must be an integer in " + std::to_string(lo) + ".." + std::to_string(hi) + ", got '" + v + "'");
  return static_cast<int>(*n);
}

double seconds_in(const std::string& flag, const std::string& v, double lo, double hi) {
  auto n = parse_double(v);
  if (!n || *n < lo || *n > hi)
    throw FieldError(flag, flag + " must be a number of seconds in " + format_number(lo) + ".." + format_number(hi) +
                               ", got '" + v + "'");
  return *n;
}

std::string path_value(const std::string& flag, const std::string& v) {
  if (v.empty() || v[0] != '/' || v.find_first_of(" \r\n") != std::string::npos)
    throw FieldError(flag, flag + " must be a path starting with '/' without spaces, got '" + v + "'");
  return v;
}

}  // namespace

std::string hold_usage() {
  return R"(hold_load --target http://127.0.0.1:PORT [options]
Holds hostile connections open against a server on loopback, probes it meanwhile, and optionally compares wrk
throughput unloaded vs during the hold. Progress on stderr; one JSON summary on the last line of stdout.
  --idle N                idle connections (connect, send nothing; reconnect when closed)      [0]
  --slowloris N           clients sending a header one byte every --slowloris-interval, never ending [0]
  --slowloris-interval S  seconds between two bytes of a slowloris client                    [3]
  --streams N             open GETs of --stream-path (server-sent events), reading all        [0]
  --stream-path P         [/events]
  --sources K             spread each group over source addresses 127.0.0.2..127.0.0.(K+1)   [1]
                          (probes and wrk come from 127.0.0.1: never one of the holding clients)
  --probe-path P          path probed sequentially, one new connection per probe              [/healthz]
  --probe-seconds S       [10]     --probe-timeout S  [10]     --probe-interval S  [0.05]
  --settle S              wait after every held connection is open, before probing          [3]
  --connect-timeout S     a held connection not established by then counts as failed         [10]
  --wrk-seconds S         run wrk before and during the hold for S seconds (0 = no wrk)      [0]
  --wrk-path P            [/]      --wrk-script FILE (wrk -s)
  --wrk-connections N     [8]      --wrk-threads N    [2]
  --wrk-warmup S          unreported wrk run before the unloaded one (0 = none)             [2]
  --server-pid PID        report RSS and CPU of that process during the hold
  --check-goal            exit 3 unless probe p99 < --goal-p99-ms and throughput ratio >= --goal-ratio
  --goal-p99-ms MS        [50]     --goal-ratio R     [0.9]
Exit: 0 done, 2 bad flag or unreachable target, 3 goal missed (with --check-goal).
)";
}

HoldOptions parse_hold_options(const std::vector<std::string>& args) {
  HoldOptions o;
  bool have_target = false;
  using Setter = std::function<void(const std::string& flag, const std::string& value)>;
  const std::map<std::string, Setter> with_value = {
      {"--target",
       [&](auto&, auto& v) {
         parse_target(v, o);
         have_target = true;
       }},
      {"--idle", [&](auto& f, auto& v) { o.idle = int_in(f, v, 0, 20000); }},
      {"--slowloris", [&](auto& f, auto& v) { o.slowloris = int_in(f, v, 0, 20000); }},
      {"--slowloris-interval", [&](auto& f, auto& v) { o.slowloris_interval_s = seconds_in(f, v, 0.01, 600); }},
      {"--streams", [&](auto& f, auto& v) { o.streams = int_in(f, v, 0, 20000); }},
      {"--stream-path", [&](auto& f, auto& v) { o.stream_path = path_value(f, v); }},
      {"--sources", [&](auto& f, auto& v) { o.sources = int_in(f, v, 1, 250); }},
      {"--probe-path", [&](auto& f, auto& v) { o.probe_path = path_value(f, v); }},
      {"--probe-seconds", [&](auto& f, auto& v) { o.probe_seconds = seconds_in(f, v, 0.1, 3600); }},
      {"--probe-timeout", [&](auto& f, auto& v) { o.probe_timeout_s = seconds_in(f, v, 0.01, 600); }},
      {"--probe-interval", [&](auto& f, auto& v) { o.probe_interval_s = seconds_in(f, v, 0, 60); }},
      {"--settle", [&](auto& f, auto& v) { o.settle_seconds = seconds_in(f, v, 0, 600); }},
      {"--connect-timeout", [&](auto& f, auto& v) { o.connect_timeout_s = seconds_in(f, v, 0.1, 600); }},
      {"--wrk-seconds", [&](auto& f, auto& v) { o.wrk_seconds = seconds_in(f, v, 0, 3600); }},
      {"--wrk-path", [&](auto& f, auto& v) { o.wrk_path = path_value(f, v); }},
      {"--wrk-script", [&](auto& f, auto& v) { o.wrk_script = v; }},
      {"--wrk-connections", [&](auto& f, auto& v) { o.wrk_connections = int_in(f, v, 1, 10000); }},
      {"--wrk-warmup", [&](auto& f, auto& v) { o.wrk_warmup_s = seconds_in(f, v, 0, 600); }},
      {"--wrk-threads", [&](auto& f, auto& v) { o.wrk_threads = int_in(f, v, 1, 64); }},
      {"--server-pid", [&](auto& f, auto& v) { o.server_pid = int_in(f, v, 1, 1 << 22); }},
      {"--goal-p99-ms", [&](auto& f, auto& v) { o.goal_p99_ms = seconds_in(f, v, 0.001, 1e6); }},
      {"--goal-ratio", [&](auto& f, auto& v) { o.goal_throughput_ratio = seconds_in(f, v, 0, 10); }},
  };
  for (size_t i = 0; i < args.size(); ++i) {
    std::string flag = args[i], value;
    bool inline_value = false;
    if (auto eq = flag.find('='); flag.rfind("--", 0) == 0 && eq != std::string::npos) {
      value = flag.substr(eq + 1);
      flag = flag.substr(0, eq);
      inline_value = true;
    }
    if (flag == "--check-goal" && !inline_value) {
      o.check_goal = true;
      continue;
    }
    auto it = with_value.find(flag);
    if (it == with_value.end()) throw FieldError(flag, "unknown flag '" + flag + "'");
    if (!inline_value) {
      if (i + 1 >= args.size()) throw FieldError(flag, flag + " needs a value");
      value = args[++i];
    }
    it->second(flag, value);
  }
  if (!have_target) throw FieldError("--target", "--target http://127.0.0.1:PORT is required");
  if (o.wrk_seconds > 0 && o.wrk_seconds < 1) throw FieldError("--wrk-seconds", "--wrk-seconds must be 0 or >= 1");
  if (o.wrk_warmup_s > 0 && o.wrk_warmup_s < 1) throw FieldError("--wrk-warmup", "--wrk-warmup must be 0 or >= 1");
  return o;
}

}  // namespace edgeml::perf
