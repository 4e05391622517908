#include "wrk_runner.hpp"

#include <cstdio>
#include <regex>
#include <stdexcept>

#include "common/strings.hpp"

namespace edgeml::perf {
namespace {

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// "1.23ms" / "850.00us" / "2.01s" -> seconds.
std::optional<double> duration_s(const std::string& number, const std::string& unit) {
  auto v = parse_double(number);
  if (!v) return std::nullopt;
  if (unit == "us") return *v / 1e6;
  if (unit == "ms") return *v / 1e3;
  if (unit == "s") return *v;
  if (unit == "m") return *v * 60;
  return std::nullopt;
}

}  // namespace

WrkRun parse_wrk_output(const std::string& out) {
  WrkRun r;
  std::smatch m;
  static const std::regex rps(R"(Requests/sec:\s+([0-9.]+))");
  if (!std::regex_search(out, m, rps)) throw std::runtime_error("wrk printed no Requests/sec:\n" + out);
  r.requests_per_s = parse_double(m[1].str()).value_or(0);
  static const std::regex total(R"((\d+) requests in)");
  if (std::regex_search(out, m, total)) r.requests = parse_int(m[1].str()).value_or(0);
  static const std::regex non2xx(R"(Non-2xx or 3xx responses:\s+(\d+))");
  if (std::regex_search(out, m, non2xx)) r.non_2xx_3xx = parse_int(m[1].str()).value_or(0);
  static const std::regex errors(R"(Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+))");
  if (std::regex_search(out, m, errors))
    for (int i = 1; i <= 4; ++i) r.socket_errors += parse_int(m[i].str()).value_or(0);
  static const std::regex pct(R"(\n\s+(50|90|99)%\s+([0-9.]+)(us|ms|s|m)\b)");
  for (auto it = std::sregex_iterator(out.begin(), out.end(), pct); it != std::sregex_iterator(); ++it) {
    auto v = duration_s((*it)[2].str(), (*it)[3].str());
    if ((*it)[1] == "50") r.p50_s = v;
    if ((*it)[1] == "90") r.p90_s = v;
    if ((*it)[1] == "99") r.p99_s = v;
  }
  return r;
}

WrkRun run_wrk(const WrkPlan& plan) {
  std::string cmd = "wrk -t" + std::to_string(plan.threads) + " -c" + std::to_string(plan.connections) + " -d" +
                    std::to_string(static_cast<long long>(plan.seconds + 0.5)) + "s --latency";
  if (!plan.script.empty()) cmd += " -s " + shell_quote(plan.script);
  cmd += " " + shell_quote("http://127.0.0.1:" + std::to_string(plan.port) + plan.path);
  FILE* p = ::popen((cmd + " 2>&1").c_str(), "r");
  if (!p) throw std::runtime_error("cannot start: " + cmd);
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  int rc = ::pclose(p);
  if (rc != 0) throw std::runtime_error("'" + cmd + "' failed (exit status " + std::to_string(rc) + "):\n" + out);
  WrkRun r = parse_wrk_output(out);
  r.command = cmd;
  return r;
}

}  // namespace edgeml::perf
