// RAM from /proc/meminfo: MemTotal and MemAvailable, in kB (really KiB) -> bytes. MemAvailable is the kernel's own
// estimate of memory available to new programs without swapping (since Linux 3.14); MemFree would understate it.
#include "common/strings.hpp"
#include "telemetry/readers.hpp"
#include "telemetry/sysfs.hpp"

namespace edgeml::telemetry {

namespace {
class MeminfoReader final : public Reader {
 public:
  explicit MeminfoReader(const Roots& roots) : path_(roots.procfs / "meminfo") {}
  std::string name() const override { return "meminfo"; }

  void read(Snapshot& out, double) override {
    MemorySection& mem = out.memory;
    auto text = read_text(path_);
    if (!text) {
      mem.available = false;
      mem.reason = "cannot read " + path_.string();
      return;
    }
    std::optional<double> total, avail;
    for (const auto& line : split(*text, '\n')) {
      auto f = split_whitespace(line);  // "MemTotal:        3964656 kB"
      if (f.size() < 2) continue;
      if (f[0] == "MemTotal:")
        total = kib(f);
      else if (f[0] == "MemAvailable:")
        avail = kib(f);
    }
    if (!total || !avail || *total <= 0) {
      mem.available = false;
      mem.reason = std::string("no ") + (!total || *total <= 0 ? "MemTotal" : "MemAvailable") + " in " + path_.string();
      return;
    }
    mem.available = true;
    mem.source = "procfs";
    mem.total_bytes = *total;
    mem.available_bytes = *avail;
    mem.used_ratio = 1.0 - *avail / *total;
  }

 private:
  static std::optional<double> kib(const std::vector<std::string>& f) {
    auto v = parse_double(f[1]);
    if (!v || *v < 0) return std::nullopt;
    if (f.size() >= 3 && f[2] != "kB") return std::nullopt;
    return *v * 1024.0;
  }
  std::filesystem::path path_;
};
}  // namespace

std::unique_ptr<Reader> make_meminfo_reader(const Roots& roots) { return std::make_unique<MeminfoReader>(roots); }

}  // namespace edgeml::telemetry
