// CPU usage from /proc/stat tick deltas (total and per core), core count, load averages from /proc/loadavg.
// Usage between two reads = (delta busy ticks) / (delta all ticks), where idle and iowait count as not busy and guest
// time is left out because user/nice already include it (proc(5)).
#include <map>

#include "common/strings.hpp"
#include "telemetry/readers.hpp"
#include "telemetry/sysfs.hpp"

namespace edgeml::telemetry {

namespace {

struct Ticks {
  unsigned long long busy = 0, total = 0;
};

// One "cpu..." line: user nice system idle iowait irq softirq steal [guest guest_nice].
std::optional<Ticks> parse_ticks(const std::vector<std::string>& f) {
  if (f.size() < 5) return std::nullopt;
  unsigned long long v[8] = {};
  for (size_t i = 1; i < f.size() && i <= 8; ++i) {
    auto n = parse_int(f[i]);
    if (!n || *n < 0) return std::nullopt;
    v[i - 1] = static_cast<unsigned long long>(*n);
  }
  Ticks t;
  for (auto x : v) t.total += x;
  t.busy = t.total - v[3] - v[4];
  return t;
}

std::optional<double> ratio(const Ticks& before, const Ticks& now) {
  // Counters only grow; a smaller value means a reset (or a different core), and no ticks means no information.
  if (now.total <= before.total || now.busy < before.busy) return std::nullopt;
  double r = double(now.busy - before.busy) / double(now.total - before.total);
  return r < 0 ? 0 : (r > 1 ? 1 : r);
}

class CpuReader final : public Reader {
 public:
  explicit CpuReader(const Roots& roots) : stat_(roots.procfs / "stat"), loadavg_(roots.procfs / "loadavg") {}
  std::string name() const override { return "cpu"; }

  void read(Snapshot& out, double) override {
    CpuSection& cpu = out.cpu;
    auto text = read_text(stat_);
    if (!text) {
      cpu.available = false;
      cpu.reason = "cannot read " + stat_.string();
      return;
    }
    std::optional<Ticks> all;
    std::map<int, Ticks> cores;
    for (const auto& line : split(*text, '\n')) {
      auto f = split_whitespace(line);
      if (f.empty() || f[0].rfind("cpu", 0) != 0) continue;
      auto t = parse_ticks(f);
      if (!t) continue;
      if (f[0] == "cpu")
        all = t;
      else if (auto n = parse_int(f[0].substr(3)); n && *n >= 0)
        cores[int(*n)] = *t;
    }
    if (!all) {
      cpu.available = false;
      cpu.reason = "no aggregate cpu line in " + stat_.string();
      return;
    }
    cpu.available = true;
    cpu.source = "procfs";
    cpu.cores = int(cores.size());
    if (prev_all_) cpu.usage_ratio = ratio(*prev_all_, *all);
    // Per-core ratios only when both reads saw the same cores cpu0..cpuN-1, so that index i is always cpu<i>.
    bool same_cores =
        prev_cores_.size() == cores.size() && !cores.empty() && cores.rbegin()->first == int(cores.size()) - 1;
    for (const auto& [id, t] : cores) same_cores = same_cores && prev_cores_.count(id);
    if (same_cores) {
      for (const auto& [id, t] : cores) {
        auto r = ratio(prev_cores_[id], t);
        if (!r) {
          cpu.per_core_ratio.clear();
          break;
        }
        cpu.per_core_ratio.push_back(*r);
      }
    }
    prev_all_ = all;
    prev_cores_ = std::move(cores);

    // "0.52 0.58 0.59 1/467 12345"
    if (auto la = read_text(loadavg_)) {
      auto f = split_whitespace(*la);
      if (f.size() >= 3) {
        cpu.load1 = parse_double(f[0]);
        cpu.load5 = parse_double(f[1]);
        cpu.load15 = parse_double(f[2]);
      }
    }
  }

 private:
  std::filesystem::path stat_, loadavg_;
  std::optional<Ticks> prev_all_;
  std::map<int, Ticks> prev_cores_;
};

}  // namespace

std::unique_ptr<Reader> make_cpu_reader(const Roots& roots) { return std::make_unique<CpuReader>(roots); }

}  // namespace edgeml::telemetry
