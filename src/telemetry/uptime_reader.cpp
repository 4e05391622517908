// Seconds since boot: the first number of /proc/uptime ("350735.47 234388.90").
#include "common/strings.hpp"
#include "telemetry/readers.hpp"
#include "telemetry/sysfs.hpp"

namespace edgeml::telemetry {

namespace {
class UptimeReader final : public Reader {
 public:
  explicit UptimeReader(const Roots& roots) : path_(roots.procfs / "uptime") {}
  std::string name() const override { return "uptime"; }
  void read(Snapshot& out, double) override {
    auto text = read_text(path_);
    if (!text) return;  // uptime_s stays empty: the snapshot shows it as unknown
    auto f = split_whitespace(*text);
    if (f.empty()) return;
    auto v = parse_double(f[0]);
    if (v && *v >= 0) out.uptime_s = v;
  }

 private:
  std::filesystem::path path_;
};
}  // namespace

std::unique_ptr<Reader> make_uptime_reader(const Roots& roots) { return std::make_unique<UptimeReader>(roots); }

}  // namespace edgeml::telemetry
