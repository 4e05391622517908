#include "agent/agent_options.hpp"

#include <algorithm>

#include "agent/enroller.hpp"
#include "common/error.hpp"
#include "common/names.hpp"
#include "common/strings.hpp"
#include "http/headers.hpp"

namespace edgeml::agent {

namespace {
double number(const std::string& flag, const std::string& v, double lo, double hi) {
  auto d = parse_double(v);
  if (!d || *d < lo || *d > hi)
    throw FieldError(flag, flag + " must be a number between " + format_number(lo) + " and " + format_number(hi) +
                               ", got '" + v + "'");
  return *d;
}
long long integer(const std::string& flag, const std::string& v, long long lo, long long hi) {
  auto i = parse_int(v);
  if (!i || *i < lo || *i > hi)
    throw FieldError(flag, flag + " must be an integer between " + std::to_string(lo) + " and " + std::to_string(hi) +
                               ", got '" + v + "'");
  return *i;
}
}  // namespace

std::string agent_usage() {
  return R"(edgeml-agent: the device service (model store, inference, telemetry, benchmark).
  --host ADDR            listen address (default 0.0.0.0; a non-loopback address needs a token)
  --port N               listen port (default 8000; 0 picks a free port, printed on stdout)
  --state DIR            model store and state file (default /var/lib/edgeml-agent)
  --sysfs-root DIR       default /sys       --procfs-root DIR   default /proc
  --vcgencmd PATH        Raspberry Pi 5 power via `vcgencmd pmic_read_adc` (default /usr/bin/vcgencmd)
  --rootfs DIR           where etc/nvpmodel.conf and var/lib/nvpmodel are (Jetson power mode; default /)
  --token T              bearer token for mutating endpoints (or env EDGEML_AGENT_TOKEN; prefer the env)
  --infer-hz HZ          continuous inference loop rate on a synthetic input (default 0 = off)
  --telemetry-hz HZ      telemetry sampling rate (default 1; history keeps at least 1 h)
  --backend B            auto | ort | opencv (default auto)
  --threads N            runtime intra-op threads (default 1)
  --keep-versions K      stored versions kept per model name (default 3; active and previous always kept)
  --reserve-mb MB        free space that must remain after storing a model (default 32)
  --max-model-mb MB      largest accepted model (default 1024)
  --mqtt URL             also connect out to a broker (mqtt://HOST:PORT or mqtts://HOST:PORT): telemetry, status and
                         commands go through it (a device behind NAT); needs --device-name. Broker credentials:
                         EDGEML_MQTT_USERNAME + EDGEML_MQTT_PASSWORD or EDGEML_MQTT_PASSWORD_FILE
  --device-name NAME     this device's name at the controller (MQTT client id and topic level; the name to enroll
                         under, default: the host name)
  --mqtt-prefix P        topic prefix (default edgeml)
  --mqtt-ca FILE         CA of the broker (mqtts://)   --mqtt-cert FILE --mqtt-key FILE   client certificate
  --mqtt-keepalive S     keep-alive (default 30; the broker reports the device offline after 1.5 x S of silence)
  --spool-mb MB          unsent telemetry kept on disk while the broker is away (default 64)
  --max-image-mpixels M  largest image POST /infer decodes, checked from its header first (default 24)
  --tls-cert PEM --tls-key PEM   serve HTTPS only
  --controller URL       enroll with this controller (http(s)://HOST:PORT); needs EDGEML_ENROLL_TOKEN (or
                         --enroll-token), an enrollment token made with `edgeml-controller token create --role device`
  --controller-ca PEM    the CA that signs the controller's certificate (model pulls and enrollment over https)
  --advertise HOST:PORT  how the controller reaches this agent (default: the address it sees, and --port)
  --enroll-interval S    how often a pending enrollment asks again (default 10)
  --machine-id-file F    default /etc/machine-id
  --policy FILE          battery policy: which stored model runs at which state of charge (JSON; also PUT /policy)
)";
}

AgentOptions parse_agent_options(const std::vector<std::string>& args, const char* env_token,
                                 const char* env_test_delay_ms, const char* env_enroll_token) {
  AgentOptions o;
  if (env_token) o.token = env_token;
  if (env_enroll_token) o.enroll_token = env_enroll_token;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string flag = args[i], value;
    bool inline_value = false;
    if (auto eq = flag.find('='); flag.rfind("--", 0) == 0 && eq != std::string::npos) {
      value = flag.substr(eq + 1);
      flag = flag.substr(0, eq);
      inline_value = true;
    }
    if (flag == "--help" || flag == "-h") {
      o.help = true;
      continue;
    }
    static const std::vector<std::string> known{
        "--host", "--port", "--state", "--sysfs-root", "--procfs-root", "--token", "--infer-hz", "--telemetry-hz",
        "--backend", "--threads", "--keep-versions", "--reserve-mb", "--max-model-mb", "--vcgencmd", "--mqtt",
        "--device-name", "--mqtt-prefix", "--mqtt-ca", "--mqtt-cert", "--mqtt-key", "--mqtt-keepalive", "--spool-mb",
        "--rootfs",
        // security (issue 16)
        "--tls-cert", "--tls-key", "--controller", "--enroll-token", "--controller-ca", "--advertise",
        "--enroll-interval", "--machine-id-file", "--max-image-mpixels", "--policy"};
    if (std::find(known.begin(), known.end(), flag) == known.end())
      throw FieldError(flag, "unknown flag '" + flag + "' (see --help)");
    if (!inline_value) {
      if (i + 1 >= args.size()) throw FieldError(flag, flag + " needs a value");
      value = args[++i];
    }
    if (flag == "--host") {
      if (value.empty()) throw FieldError(flag, "--host must not be empty");
      o.host = value;
    } else if (flag == "--port") {
      o.port = static_cast<int>(integer(flag, value, 0, 65535));
    } else if (flag == "--state") {
      o.state_dir = value;
    } else if (flag == "--sysfs-root") {
      o.sysfs_root = value;
    } else if (flag == "--procfs-root") {
      o.procfs_root = value;
    } else if (flag == "--vcgencmd") {
      o.vcgencmd = value;
    } else if (flag == "--rootfs") {
      o.rootfs = value;
    } else if (flag == "--token") {
      o.token = value;
    } else if (flag == "--infer-hz") {
      o.infer_hz = number(flag, value, 0, 1000);
    } else if (flag == "--telemetry-hz") {
      o.telemetry_hz = number(flag, value, 0.01, 100);
    } else if (flag == "--backend") {
      if (value != "auto" && value != "ort" && value != "opencv")
        throw FieldError(flag, "--backend must be auto, ort or opencv, got '" + value + "'");
      o.backend = value;
    } else if (flag == "--threads") {
      o.threads = static_cast<int>(integer(flag, value, 1, 64));
    } else if (flag == "--keep-versions") {
      o.keep_versions = static_cast<size_t>(integer(flag, value, 1, 100));
    } else if (flag == "--reserve-mb") {
      o.reserve_bytes = static_cast<std::uint64_t>(number(flag, value, 0, 1e6) * (1 << 20));
    } else if (flag == "--max-model-mb") {
      o.max_model_bytes = static_cast<std::uint64_t>(number(flag, value, 0.001, 1e6) * (1 << 20));
    } else if (flag == "--mqtt") {
      o.mqtt_url = value;
    } else if (flag == "--device-name") {
      validate_name(value, "--device-name");
      o.device_name = value;
    } else if (flag == "--mqtt-prefix") {
      o.mqtt_prefix = value;
    } else if (flag == "--mqtt-ca") {
      o.mqtt_ca = value;
    } else if (flag == "--mqtt-cert") {
      o.mqtt_cert = value;
    } else if (flag == "--mqtt-key") {
      o.mqtt_key = value;
    } else if (flag == "--mqtt-keepalive") {
      o.mqtt_keepalive_s = static_cast<int>(integer(flag, value, 5, 3600));
    } else if (flag == "--spool-mb") {
      o.spool_bytes = static_cast<std::uint64_t>(number(flag, value, 0.1, 1e5) * (1 << 20));
    } else if (flag == "--max-image-mpixels") {
      o.max_image_pixels = static_cast<std::uint64_t>(number(flag, value, 0.001, 1000) * 1e6);
    } else if (flag == "--tls-cert") {
      o.tls_cert = value;
    } else if (flag == "--tls-key") {
      o.tls_key = value;
    } else if (flag == "--controller") {
      o.controller_url = check_controller_url(value);
    } else if (flag == "--enroll-token") {
      o.enroll_token = value;
    } else if (flag == "--controller-ca") {
      o.controller_ca = value;
    } else if (flag == "--advertise") {
      http::require_header_safe(value, flag);
      if (value.find(':') == std::string::npos) throw FieldError(flag, "--advertise must be HOST:PORT");
      o.advertise = value;
    } else if (flag == "--enroll-interval") {
      o.enroll_interval_s = number(flag, value, 0.05, 3600);
    } else if (flag == "--machine-id-file") {
      o.machine_id_file = value;
    } else if (flag == "--policy") {
      if (value.empty()) throw FieldError(flag, "--policy needs a file");
      o.policy_file = value;
    }
  }
  if (!o.mqtt_url.empty() && o.device_name.empty())
    throw FieldError("--device-name", "--mqtt needs --device-name (this device's name at the controller)");
  if (env_test_delay_ms && *env_test_delay_ms)
    o.activation_test_delay_s =
        static_cast<double>(integer("EDGEML_AGENT_TEST_HOOK_ACTIVATION_DELAY_MS", env_test_delay_ms, 0, 600000)) / 1000;
  return o;
}

bool is_loopback_host(const std::string& host) {
  return host == "localhost" || host == "::1" || host == "[::1]" || host.rfind("127.", 0) == 0;
}

void check_exposure(const AgentOptions& o) {
  if (o.tls_cert.empty() != o.tls_key.empty())
    throw FieldError(o.tls_cert.empty() ? "--tls-cert" : "--tls-key", "TLS needs both --tls-cert and --tls-key");
  if (!o.controller_url.empty() && o.enroll_token.empty())
    throw FieldError("--enroll-token", "--controller needs an enrollment token: set EDGEML_ENROLL_TOKEN");
  if (!o.enroll_token.empty() && o.controller_url.empty())
    throw FieldError("--controller", "an enrollment token needs --controller URL (where to enroll)");
  if (!o.controller_ca.empty() && !std::filesystem::is_regular_file(o.controller_ca))
    throw FieldError("--controller-ca", "--controller-ca " + o.controller_ca.string() + " is not a readable file");
  if (o.token.empty() && o.controller_url.empty() && !is_loopback_host(o.host))
    throw FieldError("--token", "refusing to listen on " + o.host +
                                    " without a token: set EDGEML_AGENT_TOKEN (or --token), or use --host 127.0.0.1");
}

}  // namespace edgeml::agent
