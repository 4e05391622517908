// Raspberry Pi 5: the PMIC (Renesas DA9091) measures voltage and current of its rails; the firmware reports them
// through `vcgencmd pmic_read_adc`, one line per channel:
//     VDD_CORE_A current(7)=0.94657990A
//     VDD_CORE_V volt(15)=0.72097620V
//        EXT5V_V volt(24)=5.11478000V
// There is no sysfs route (Pi 5 hwmon has only cpu_thermal, rp1_adc, pwmfan, rpi_volt), so this reader runs the
// command, with a time limit. Power per rail = V x I; the board figure is their sum. It is an underestimate: the 5 V
// input current is not measurable on the Pi 5 (EXT5V is voltage only), so conversion losses are not in it -- the
// method says so rather than applying a third-party correction fit.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <regex>

#include "telemetry/readers.hpp"

namespace edgeml::telemetry {

namespace {

constexpr int kTimeoutMs = 2000;

// Runs `command pmic_read_adc`; stdout, or nullopt with `error` set (exit status, timeout).
std::optional<std::string> run_pmic_read_adc(const std::filesystem::path& command, std::string& error) {
  int out[2];
  if (::pipe2(out, O_CLOEXEC) != 0) {
    error = "pipe failed";
    return std::nullopt;
  }
  pid_t pid = ::fork();
  if (pid < 0) {
    ::close(out[0]), ::close(out[1]);
    error = "fork failed";
    return std::nullopt;
  }
  if (pid == 0) {
    ::dup2(out[1], 1);
    int devnull = ::open("/dev/null", O_WRONLY);
    if (devnull >= 0) ::dup2(devnull, 2);
    ::execl(command.c_str(), command.c_str(), "pmic_read_adc", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(out[1]);
  std::string text;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kTimeoutMs);
  bool timed_out = false;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      timed_out = true;
      break;
    }
    pollfd p{out[0], POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
    char buf[4096];
    ssize_t n = ::read(out[0], buf, sizeof buf);
    if (n <= 0) break;
    text.append(buf, static_cast<size_t>(n));
  }
  ::close(out[0]);
  if (timed_out) ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (timed_out) {
    error = command.string() + " pmic_read_adc gave no answer within " + std::to_string(kTimeoutMs) + " ms";
    return std::nullopt;
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    error = command.string() + " pmic_read_adc failed (exit status " +
            std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1) + "; the user needs the video group)";
    return std::nullopt;
  }
  return text;
}

class PmicAdcReader final : public Reader {
 public:
  explicit PmicAdcReader(const Roots& roots) : command_(roots.vcgencmd) {}
  std::string name() const override { return "pmic_adc"; }

  void read(Snapshot& out, double) override {
    std::error_code ec;
    if (command_.empty() || !std::filesystem::exists(command_, ec)) return;  // not a Raspberry Pi: absent
    std::string error;
    auto text = run_pmic_read_adc(command_, error);
    if (!text) {
      out.power.reason = "pmic_adc: " + error;
      return;
    }
    // Both output forms seen on firmware versions: "<RAIL>_A current(n)=xA" and "<RAIL>_V volt(n)=xV".
    static const std::regex line(R"(^\s*(\S+)_([AV])\s+(?:current|volt)\(\d+\)=([0-9.]+)[AV]\s*$)");
    std::map<std::string, PowerRail> rails;
    size_t start = 0;
    while (start < text->size()) {
      size_t end = text->find('\n', start);
      if (end == std::string::npos) end = text->size();
      std::smatch m;
      std::string l = text->substr(start, end - start);
      if (std::regex_match(l, m, line)) {
        PowerRail& r = rails[m[1]];
        r.rail = m[1];
        double v = std::stod(m[3]);
        (m[2] == "A" ? r.amps : r.volts) = v;
      }
      start = end + 1;
    }
    PowerSection p;
    double total = 0;
    int measured = 0;
    for (auto& [name, r] : rails) {
      if (r.volts && r.amps) {
        r.watts = *r.volts * *r.amps;
        total += *r.watts;
        ++measured;
      }
      p.rails.push_back(r);
    }
    if (measured == 0) {
      out.power.reason = "pmic_adc: vcgencmd pmic_read_adc gave no rail with both voltage and current";
      return;
    }
    p.available = true;
    p.source = "pmic_adc";
    p.total_watts = total;
    p.total_method = "sum of V x I over " + std::to_string(measured) +
                     " PMIC rails (excludes conversion losses: the Pi 5's 5 V input current is not measurable)";
    out.power = std::move(p);
  }

 private:
  std::filesystem::path command_;
};

}  // namespace

std::unique_ptr<Reader> make_pmic_adc_reader(const Roots& roots) { return std::make_unique<PmicAdcReader>(roots); }

}  // namespace edgeml::telemetry
