#pragma once
// The controller's settings, from flags and the environment (secrets only from the environment or a config file).
#include <filesystem>
#include <string>
#include <vector>

#include "controller/energy_gate.hpp"
#include "controller/post_deploy_window.hpp"

namespace edgeml::controller {

struct Config {
  std::string host = "127.0.0.1";
  int port = 5000;
  std::vector<std::string> data;                       // --data PATH or DEVICE=PATH, repeatable
  std::filesystem::path state_dir = "var/controller";  // predictor models, SQLite, artifact store
  std::filesystem::path web_dir;                       // dashboard static files; empty = the embedded dashboard
  std::string db_url;  // --db / EDGEML_DB_URL: postgresql://user@host:port/db; empty = SQLite <state>/controller.db
  std::string instance_id;  // --instance-id: this controller among several on one database; empty = host:state folder
  double lease_s = 10;      // --lease-s: background work moves to another controller this long after the holder died
  size_t threads = 16;

  // Deploy and fleet.
  std::filesystem::path models_dir;        // artifact store; empty = <state>/models
  std::vector<std::string> model_sources;  // --model-source NAME=URL_TEMPLATE, tried in order
  std::string public_url;                  // how agents reach us (http://host:port); empty = the bound address
  double poll_interval_s = 5;              // telemetry polling of each registered agent
  double deploy_timeout_s = 180;
  double max_upload_mb = 512;
  double telemetry_keep_days = 7;   // then deleted
  double telemetry_raw_hours = 24;  // then averaged per minute
  // What the energy gate does when a model's energy on the device is unknown (--unknown-energy).
  UnknownEnergyPolicy unknown_energy = UnknownEnergyPolicy::warn;
  // The benchmark window after a deploy (--window-seconds 0 = none): its rows feed the catalog.
  WindowSettings window;
  // MQTT transport (devices behind NAT connect out to a broker); empty url = LAN only.
  std::string mqtt_url;                                // --mqtt mqtt://HOST:PORT | mqtts://HOST:PORT
  std::string mqtt_prefix = "edgeml";                  // --mqtt-prefix
  std::string mqtt_client_id = "edgeml-controller";    // --mqtt-client-id
  std::string mqtt_share_group;                        // --mqtt-share-group: telemetry shared between controllers
  std::filesystem::path mqtt_ca, mqtt_cert, mqtt_key;  // --mqtt-ca/--mqtt-cert/--mqtt-key (mqtts://)
  double alert_backoff_s = 5;  // --alert-backoff: wait after a failed notification (doubling, up to 15 min)
  // From the environment only (never a flag: flags show up in `ps`).
  double balena_timeout_s = 15;
  std::string balena_api_url = "https://api.balena-cloud.com";
  std::string balena_api_token;

  // Security (issue 16; controller/security.hpp).
  std::string tls_cert, tls_key;  // --tls-cert, --tls-key (PEM): HTTPS only
  bool require_auth = false;      // --require-auth: credentials needed on loopback too (always on other addresses)
  double session_hours = 12;      // a dashboard login lasts this long
  std::string agent_ca;           // --agent-ca PEM: agents serve HTTPS (their --tls-cert), verified against this CA
};

// Throws FieldError naming the flag. Prints nothing. Reads BALENA_API_URL / BALENA_API_TOKEN from the environment.
Config parse_args(int argc, char** argv);
std::string usage();

}  // namespace edgeml::controller
