// Jetson power mode from nvpmodel's own files, without running `nvpmodel -q` every second:
//   <rootfs>/var/lib/nvpmodel/status   "pmode:0000" (JetPack 5/6 add " fmode:quiet"): the mode nvpmodel last set
//   <rootfs>/etc/nvpmodel.conf         "< POWER_MODEL ID=0 NAME=MAXN >" blocks and "< PM_CONFIG DEFAULT=0 >"
// nvpmodel applies PM_CONFIG DEFAULT when the status file is missing or invalid ("nvpmodel -f pm.conf: ... If user
// data file does not exist or the active mode value is invalid, set default mode instead"), so does this reader, and
// the source says which case it is. Mode ids are not ordered by speed (Orin Nano Super: 15W=0, 25W=1, MAXN_SUPER=2,
// 7W=3): the name is what identifies a mode.
#include <map>
#include <vector>

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

// "KEY=value" among the tokens of a "< ... >" line.
std::optional<std::string> field(const std::vector<std::string>& tokens, const std::string& key) {
  for (const auto& t : tokens)
    if (t.size() > key.size() && t.compare(0, key.size() + 1, key + "=") == 0) return t.substr(key.size() + 1);
  return std::nullopt;
}

// Plain token parsing rather than std::regex: libstdc++'s regex recurses per character, and a configuration file is
// input that may be damaged.
NvpmodelConf parse_conf(const std::string& text) {
  NvpmodelConf conf;
  for (const auto& raw : split(text, '\n')) {
    std::string_view line = trim(raw);
    if (line.size() < 2 || line.front() != '<' || line.back() != '>') continue;  // parameter lines, # comments
    auto tokens = split_whitespace(line.substr(1, line.size() - 2));
    if (tokens.empty()) continue;
    if (tokens[0] == "POWER_MODEL") {
      auto id = field(tokens, "ID");
      auto name = field(tokens, "NAME");
      if (auto n = id ? small_int(*id) : std::nullopt; n && name) conf.modes[*n] = *name;
    } else if (tokens[0] == "PM_CONFIG") {
      if (auto d = field(tokens, "DEFAULT")) conf.default_id = small_int(*d);
    }
  }
  return conf;
}

// "pmode:0002 fmode:quiet" -> 2
std::optional<int> status_mode(const std::string& status) {
  for (const auto& t : split_whitespace(status))
    if (t.rfind("pmode:", 0) == 0) return small_int(t.substr(6));
  return std::nullopt;
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

    if (status && (p.id = status_mode(*status))) {
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
