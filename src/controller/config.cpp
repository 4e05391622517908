#include "controller/config.hpp"

#include <cstdlib>

#include "common/error.hpp"
#include "common/strings.hpp"

namespace edgeml::controller {

std::string usage() {
  return "usage: edgeml-controller [--host 127.0.0.1] [--port 5000] [--data PATH|DEVICE=PATH]... [--state DIR]\n"
         "                         [--web DIR] [--threads N]\n"
         "  --data   benchmark CSV file or folder (repeatable); device type from DEVICE= or the file name\n"
         "  --state  where the controller keeps trained predictors, its database and model artifacts\n"
         "  --web    serve the dashboard from DIR (e.g. web/dist while editing it); default: the one built in\n"
         "  --db     postgresql://USER@HOST:PORT/DB (or EDGEML_DB_URL): keep the fleet's state in PostgreSQL (several\n"
         "           controllers may share it); default SQLite <state>/controller.db\n"
         "  [--instance-id ID] [--lease-s S]  several controllers on one database: this one's id (default host:state\n"
         "           folder); background work (retention, polling, rollout takeover) moves within S s (default 10)\n"
         "  [--models DIR] [--model-source NAME=URL_TEMPLATE]... [--public-url URL] [--poll-interval S]\n"
         "  [--deploy-timeout S] [--max-upload-mb N] [--telemetry-keep-days D] [--telemetry-raw-hours H]\n"
         "  [--balena-timeout S] [--unknown-energy allow|warn|refuse] [--window-seconds S] [--window-inferences N]\n"
         "  --models        artifact store served at /models/<file> (default <state>/models)\n"
         "  --model-source  where to download a model the store lacks; {name} is replaced by the model name\n"
         "  --public-url    the base URL agents use to pull models (default http://<host>:<port>)\n"
         "  --unknown-energy  a deploy with a budget whose energy is unknown on the device: allow (gate skipped),\n"
         "                  warn (default: skipped, with a warning in the answer) or refuse (409 unless force)\n"
         "  --window-seconds  after a deploy to a device with a power source, benchmark the model for up to S seconds\n"
         "                  (default 10; 0 = never) and add the result to the catalog; --window-inferences caps the\n"
         "                  inferences per measured run (default 500)\n"
         "  [--mqtt mqtt://HOST:PORT|mqtts://HOST:PORT] [--mqtt-prefix edgeml] [--mqtt-client-id ID]\n"
         "  [--mqtt-ca FILE] [--mqtt-cert FILE --mqtt-key FILE] [--mqtt-share-group G]\n"
         "  --mqtt          also reach devices through a broker (agents started with --mqtt connect out to it);\n"
         "                  EDGEML_MQTT_USERNAME + EDGEML_MQTT_PASSWORD(_FILE) for broker credentials\n"
         "  [--tls-cert PEM --tls-key PEM] [--require-auth] [--session-hours H] [--agent-ca PEM]\n"
         "  --tls-cert/--tls-key  serve HTTPS only (edgeml certs init makes a small fleet's CA and certificates)\n"
         "  --require-auth  credentials are needed on loopback too (on any other address they always are)\n"
         "  --agent-ca PEM  agents serve HTTPS (edgeml-agent --tls-cert): call them over https, verified with this CA\n"
         "  credentials: edgeml-controller token|user ... (see edgeml-controller token --help)\n"
         "  [--alert-backoff S]  wait after a failed alert notification (default 5, doubling up to 15 min)\n"
         "  environment: EDGEML_SMTP_URL/FROM/USER/PASSWORD(_FILE)/CA_FILE/STARTTLS (alert email)\n"
         "  environment: BALENA_API_TOKEN (fleet listing), BALENA_API_URL (default https://api.balena-cloud.com)\n";
}

Config parse_args(int argc, char** argv) {
  Config c;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&](const std::string& flag) -> std::string {
      if (i + 1 >= argc) throw FieldError(flag, flag + " needs a value");
      return argv[++i];
    };
    auto number = [&](const std::string& flag, double lo, double hi) {
      auto v = parse_double(value(flag));
      if (!v || *v < lo || *v > hi)
        throw FieldError(flag, flag + " must be a number from " + format_number(lo) + " to " + format_number(hi));
      return *v;
    };
    if (a == "--host") {
      c.host = value(a);
    } else if (a == "--port") {
      auto p = parse_int(value(a));
      if (!p || *p < 0 || *p > 65535) throw FieldError("--port", "--port must be 0-65535");
      c.port = static_cast<int>(*p);
    } else if (a == "--data") {
      c.data.push_back(value(a));
    } else if (a == "--state") {
      c.state_dir = value(a);
    } else if (a == "--db") {
      c.db_url = value(a);
    } else if (a == "--instance-id") {
      c.instance_id = value(a);
      if (c.instance_id.empty() || c.instance_id.size() > 200)
        throw FieldError(a, "--instance-id must be 1-200 characters");
    } else if (a == "--lease-s") {
      c.lease_s = number(a, 0.5, 3600);
    } else if (a == "--web") {
      c.web_dir = value(a);
    } else if (a == "--threads") {
      auto t = parse_int(value(a));
      if (!t || *t < 2 || *t > 256) throw FieldError("--threads", "--threads must be 2-256");
      c.threads = static_cast<size_t>(*t);
    } else if (a == "--models") {
      c.models_dir = value(a);
    } else if (a == "--model-source") {
      c.model_sources.push_back(value(a));
    } else if (a == "--public-url") {
      c.public_url = value(a);
      if (c.public_url.rfind("http://", 0) != 0 && c.public_url.rfind("https://", 0) != 0)
        throw FieldError(a, "--public-url must start with http:// or https://");
      while (!c.public_url.empty() && c.public_url.back() == '/') c.public_url.pop_back();
    } else if (a == "--poll-interval") {
      c.poll_interval_s = number(a, 0.05, 3600);
    } else if (a == "--deploy-timeout") {
      c.deploy_timeout_s = number(a, 1, 3600);
    } else if (a == "--max-upload-mb") {
      c.max_upload_mb = number(a, 1, 4096);
    } else if (a == "--telemetry-keep-days") {
      c.telemetry_keep_days = number(a, 0.001, 3650);
    } else if (a == "--balena-timeout") {
      c.balena_timeout_s = number(a, 1, 300);
    } else if (a == "--telemetry-raw-hours") {
      c.telemetry_raw_hours = number(a, 0.001, 87600);
    } else if (a == "--alert-backoff") {
      c.alert_backoff_s = number(a, 0.05, 3600);
    } else if (a == "--unknown-energy") {
      c.unknown_energy = parse_unknown_energy_policy(value(a), a);
    } else if (a == "--window-seconds") {
      c.window.max_seconds = number(a, 0, 600);
      if (c.window.max_seconds > 0 && c.window.max_seconds < 0.1)
        throw FieldError(a, "--window-seconds must be 0 (no window) or from 0.1 to 600");
    } else if (a == "--window-inferences") {
      auto n = parse_int(value(a));
      if (!n || *n < 1 || *n > 100000) throw FieldError(a, "--window-inferences must be an integer from 1 to 100000");
      c.window.max_inferences = static_cast<int>(*n);
    } else if (a == "--mqtt") {
      c.mqtt_url = value(a);
    } else if (a == "--mqtt-prefix") {
      c.mqtt_prefix = value(a);
    } else if (a == "--mqtt-client-id") {
      c.mqtt_client_id = value(a);
    } else if (a == "--mqtt-share-group") {
      c.mqtt_share_group = value(a);
      if (c.mqtt_share_group.empty() || c.mqtt_share_group.size() > 64 ||
          c.mqtt_share_group.find_first_of("/+#$") != std::string::npos)
        throw FieldError(a, "--mqtt-share-group must be 1-64 characters without / + # $");
    } else if (a == "--mqtt-ca") {
      c.mqtt_ca = value(a);
    } else if (a == "--mqtt-cert") {
      c.mqtt_cert = value(a);
    } else if (a == "--mqtt-key") {
      c.mqtt_key = value(a);
    } else if (a == "--tls-cert") {
      c.tls_cert = value(a);
    } else if (a == "--tls-key") {
      c.tls_key = value(a);
    } else if (a == "--require-auth") {
      c.require_auth = true;
    } else if (a == "--agent-ca") {
      c.agent_ca = value(a);
    } else if (a == "--session-hours") {
      c.session_hours = number(a, 0.05, 24 * 30);
    } else {
      throw FieldError(a, "unknown flag " + a);
    }
  }
  if (const char* url = std::getenv("BALENA_API_URL"); url && *url) c.balena_api_url = url;
  if (const char* db = std::getenv("EDGEML_DB_URL"); db && *db && c.db_url.empty()) c.db_url = db;
  if (const char* token = std::getenv("BALENA_API_TOKEN"); token) c.balena_api_token = token;
  return c;
}

}  // namespace edgeml::controller
