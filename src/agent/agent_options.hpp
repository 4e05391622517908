#pragma once
// Command-line flags of edgeml-agent. Every value is checked (FieldError naming the flag), never silently defaulted.
//
// No-token policy: the agent refuses to start on a non-loopback address without a token, because mutating endpoints
// (deploy, activate, infer, energy) would be open to the whole network. On a loopback address (127.0.0.0/8, ::1,
// localhost) it runs without one -- only local processes can reach it -- and says so in the log.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace edgeml::agent {

struct AgentOptions {
  std::string host = "0.0.0.0";
  int port = 8000;
  std::filesystem::path state_dir = "/var/lib/edgeml-agent";
  std::filesystem::path sysfs_root = "/sys";
  std::filesystem::path procfs_root = "/proc";
  std::filesystem::path vcgencmd = "/usr/bin/vcgencmd";  // Raspberry Pi 5 PMIC power; absent elsewhere
  std::filesystem::path rootfs = "/";                    // etc/nvpmodel.conf, var/lib/nvpmodel (Jetson power mode)
  std::string token;                                     // from --token or EDGEML_AGENT_TOKEN; never logged
  double infer_hz = 0;
  double telemetry_hz = 1;
  std::string backend = "auto";
  int threads = 1;  // intra-op threads of the runtime
  size_t keep_versions = 3;
  std::uint64_t reserve_bytes = 32ull << 20;
  std::uint64_t max_model_bytes = 1ull << 30;
  double activation_test_delay_s = 0;  // TEST HOOK: EDGEML_AGENT_TEST_HOOK_ACTIVATION_DELAY_MS
  // MQTT mode (mqtt_link.hpp): the agent connects out to a broker; empty = LAN mode only (the controller calls us).
  std::string mqtt_url;                // --mqtt mqtt://HOST:PORT | mqtts://HOST:PORT
  std::string device_name;             // --device-name: the MQTT client id and topic level, the name to enroll under
  std::string mqtt_prefix = "edgeml";  // --mqtt-prefix
  std::filesystem::path mqtt_ca, mqtt_cert, mqtt_key;  // --mqtt-ca, --mqtt-cert, --mqtt-key (mqtts://)
  int mqtt_keepalive_s = 30;                // --mqtt-keepalive: the broker's last will fires after 1.5 x this
  std::uint64_t spool_bytes = 64ull << 20;  // --spool-mb: unsent telemetry kept on disk
  // Security (issue 16): TLS, enrollment with a controller, image limits.
  std::string tls_cert, tls_key;        // --tls-cert/--tls-key (PEM): serve HTTPS only
  std::string controller_url;           // --controller http(s)://HOST:PORT: enroll there
  std::string enroll_token;             // EDGEML_ENROLL_TOKEN (or --enroll-token); never logged
  std::filesystem::path controller_ca;  // --controller-ca PEM: verify the controller (pulls, enrollment)
  std::string advertise;                // --advertise HOST:PORT: how the controller reaches this agent
  double enroll_interval_s = 10;        // --enroll-interval: how often a pending enrollment asks again
  std::filesystem::path machine_id_file = "/etc/machine-id";  // --machine-id-file
  std::uint64_t max_image_pixels = 24'000'000;  // --max-image-mpixels: POST /infer images, checked before decoding
  // --policy: battery policy (battery_policy.hpp); empty = none until pushed (PUT /policy).
  std::filesystem::path policy_file;
  bool help = false;
};

// argv without the program name; env_token: getenv("EDGEML_AGENT_TOKEN") or null. Throws FieldError("--flag").
// env_enroll_token: getenv("EDGEML_ENROLL_TOKEN") or null.
AgentOptions parse_agent_options(const std::vector<std::string>& args, const char* env_token,
                                 const char* env_test_delay_ms, const char* env_enroll_token = nullptr);
// Throws FieldError("--token") for a non-loopback host without a token (enrolling with a controller counts: the agent
// then accepts the credential it gave the controller), FieldError naming the flag for incomplete TLS or enrollment.
void check_exposure(const AgentOptions& options);
bool is_loopback_host(const std::string& host);
std::string agent_usage();

}  // namespace edgeml::agent
