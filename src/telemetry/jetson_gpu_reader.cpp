// The Jetson integrated GPU, found as jtop finds it (jtop/core/gpu.py): among /sys/class/devfreq/*, the node whose
// device/of_node/name is a Tegra GPU -- "gpu" (Nano 57000000.gpu, Orin on JetPack 6 17000000.gpu), "gp10b" (TX2),
// "gv11b" (Xavier), "ga10b" (Orin on JetPack 5). No single hard-coded path: the node name and the device folder
// change between L4T releases (/sys/devices/gpu.0, /sys/devices/17000000.ga10b, /sys/devices/platform/bus@0/...).
//   devfreq node:   cur_freq, min_freq, max_freq (Hz), governor
//   device/load:    GPU busy share in permille (0..1000), what tegrastats prints as GR3D_FREQ x%
// Reading through the devfreq node's `device` link finds the load file on every layout.
#include <array>

#include "telemetry/readers.hpp"
#include "telemetry/sysfs.hpp"

namespace edgeml::telemetry {

namespace {

constexpr std::array kTegraGpuNames{"gpu", "gp10b", "gv11b", "ga10b"};

bool is_tegra_gpu(const std::string& of_node_name) {
  for (const char* n : kTegraGpuNames)
    if (of_node_name == n) return true;
  return false;
}

std::optional<double> hz(const std::filesystem::path& file) {
  auto v = read_number(file);
  if (!v || *v < 0) return std::nullopt;
  return v;
}

class JetsonGpuReader final : public Reader {
 public:
  explicit JetsonGpuReader(const Roots& roots) : devfreq_(roots.sysfs / "class" / "devfreq") {}
  std::string name() const override { return "jetson_gpu"; }

  void read(Snapshot& out, double) override {
    GpuSection& g = out.gpu;
    std::filesystem::path node;
    for (const auto& entry : list_entries(devfreq_, "")) {
      if (is_tegra_gpu(read_text(entry / "device" / "of_node" / "name").value_or(""))) {
        node = entry;
        break;
      }
    }
    if (node.empty()) {
      g.available = false;
      g.reason = "no Jetson GPU: no " + (devfreq_ / "*" / "device" / "of_node" / "name").string() +
                 " naming a Tegra GPU (gpu, gp10b, gv11b, ga10b)";
      return;
    }
    g.name = node.filename().string();
    auto cur = read_number_or_problem(node / "cur_freq");
    if (cur.value && *cur.value >= 0) g.freq_hz = cur.value;
    g.min_freq_hz = hz(node / "min_freq");
    g.max_freq_hz = hz(node / "max_freq");
    g.governor = read_text(node / "governor").value_or("");
    auto load = read_number_or_problem(node / "device" / "load");
    if (load.value && *load.value >= 0 && *load.value <= 1000)
      g.load_ratio = *load.value / 1000.0;
    else
      g.unavailable_series["load_ratio"] =
          load.value ? (node / "device" / "load").string() + " is outside 0..1000 permille" : load.problem;
    if (!g.freq_hz) g.unavailable_series["freq_hz"] = cur.problem.empty() ? "negative cur_freq" : cur.problem;
    if (!g.load_ratio && !g.freq_hz) {
      g.available = false;
      g.reason = "Jetson GPU " + g.name + ": neither load nor frequency readable (" +
                 g.unavailable_series["load_ratio"] + "; " + g.unavailable_series["freq_hz"] + ")";
      g.unavailable_series.clear();
      return;
    }
    g.available = true;
    g.source = "devfreq:" + g.name;
  }

 private:
  std::filesystem::path devfreq_;
};

}  // namespace

std::unique_ptr<Reader> make_jetson_gpu_reader(const Roots& roots) { return std::make_unique<JetsonGpuReader>(roots); }

}  // namespace edgeml::telemetry
