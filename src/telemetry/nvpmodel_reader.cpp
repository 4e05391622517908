// Jetson power mode from nvpmodel's own files, without running `nvpmodel -q` every second:
//   <rootfs>/var/lib/nvpmodel/status   "pmode:0000" (JetPack 5/6 add " fmode:quiet"): the mode nvpmodel last set
//   <rootfs>/etc/nvpmodel.conf         "< POWER_MODEL ID=0 NAME=MAXN >" blocks and "< PM_CONFIG DEFAULT=0 >"
// nvpmodel applies PM_CONFIG DEFAULT when the status file is missing or invalid ("nvpmodel -f pm.conf: ... If user
// data file does not exist or the active mode value is invalid, set default mode instead"), so does this reader, and
// the source says which case it is. Mode ids are not ordered by speed (Orin Nano Super: 15W=0, 25W=1, MAXN_SUPER=2,
// 7W=3): the name is what identifies a mode.
#include <map>
#include <regex>

#include "common/strings.hpp"
#include "telemetry/readers.hpp"
#include "telemetry/sysfs.hpp"

namespace edgeml::telemetry {

namespace {

namespace fs = std::filesystem;

struct NvpmodelConf {
  std::map<int, std::string> modes;  // POWER_MODEL ID -> NAME
  std::optional<int> default_id;
};

std::optional<int> small_int(const std::string& s) {
  auto v = parse_int(s);
  if (!v || *v < 0 || *v > 1000) return std::nullopt;
  return static_cast<int>(*v);
}

NvpmodelConf parse_conf(const std::string& text) {
  static const std::regex power_model(R"(^<\s*POWER_MODEL\s+ID=(\d+)\s+NAME=(\S+?)\s*>)");
  static const std::regex pm_config(R"(^<\s*PM_CONFIG\s+DEFAULT=(\d+)\s*>)");
  NvpmodelConf conf;
  for (const auto& raw : split(text, '\n')) {
    std::string line(trim(raw));
    if (line.empty() || line[0] != '<') continue;  // parameter lines and # comments
    std::smatch m;
    if (std::regex_search(line, m, power_model)) {
      if (auto id = small_int(m[1])) conf.modes[*id] = m[2];
    } else if (std::regex_search(line, m, pm_config)) {
      conf.default_id = small_int(m[1]);
    }
  }
  return conf;
}

class NvpmodelReader final : public Reader {
 public:
  explicit NvpmodelReader(const Roots& roots)
      : conf_path_(roots.rootfs / "etc" / "nvpmodel.conf"), status_path_(roots.rootfs / "var/lib/nvpmodel/status") {}
  std::string name() const override { return "nvpmodel"; }

  void read(Snapshot& out, double) override {
    PowerModeSection& p = out.power_mode;
    auto conf_text = read_attribute(conf_path_);
    auto status = read_text(status_path_);
    if (!conf_text.text && !status) {
      p.available = false;
      p.reason = conf_text.error == ENOENT ? "no nvpmodel: no " + conf_path_.string() + " (not a Jetson)"
                                           : "no nvpmodel: " + read_problem(conf_path_, conf_text.error);
      return;
    }
    NvpmodelConf conf = conf_text.text ? parse_conf(*conf_text.text) : NvpmodelConf{};
    p.default_id = conf.default_id;

    std::smatch m;
    static const std::regex pmode(R"(pmode:(\d+))");
    if (status && std::regex_search(*status, m, pmode) && (p.id = small_int(m[1]))) {
      p.source = "nvpmodel status";
    } else if (conf.default_id) {
      p.id = conf.default_id;
      p.source = std::string("nvpmodel.conf default (") + (status ? "invalid" : "no") + " " + status_path_.string() +
                 ": nvpmodel applies PM_CONFIG DEFAULT)";
    } else {
      p.available = false;
      p.reason =
          "nvpmodel: no mode in " + status_path_.string() + " and no PM_CONFIG DEFAULT in " + conf_path_.string();
      return;
    }
    p.available = true;
    if (auto it = conf.modes.find(*p.id); it != conf.modes.end())
      p.name = it->second;
    else
      p.unavailable_series["name"] =
          conf_text.text ? "mode " + std::to_string(*p.id) + " is not a POWER_MODEL of " + conf_path_.string()
                         : read_problem(conf_path_, conf_text.error);
  }

 private:
  fs::path conf_path_, status_path_;
};

}  // namespace

std::unique_ptr<Reader> make_nvpmodel_reader(const Roots& roots) { return std::make_unique<NvpmodelReader>(roots); }

}  // namespace edgeml::telemetry
