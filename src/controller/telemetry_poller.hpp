#pragma once
// Telemetry collection of LAN devices (MQTT devices publish theirs: mqtt_transport.hpp): every interval, each
// registered agent's GET /telemetry is read (several at once, each with a timeout), the samples are stored with the
// agent's own time in one transaction, published on "telemetry/<device id>" for the live stream, and a device that
// does not answer is marked offline. Retention runs every few minutes (for every device's samples).
#include <atomic>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "common/clock.hpp"
#include "common/periodic.hpp"
#include "controller/agent_client.hpp"
#include "controller/event_hub.hpp"
#include "controller/fleet_observer.hpp"
#include "controller/records_json.hpp"
#include "store/store.hpp"

namespace edgeml::controller {

struct PollerSettings {
  double interval_s = 5;
  http::TlsClientOptions agent_tls;  // --agent-ca: agents serve HTTPS, verified against this CA
  int timeout_s = 2;                 // per agent request (connect and read)
  int workers = 8;                   // agents polled at once
  double keep_s = 7 * 86400;
  double raw_s = 86400;
  double retention_every_s = 600;
  // Each full /telemetry answer read (device id, time, answer), e.g. for the dashboard's live view (LatestTelemetry).
  std::function<void(long long, double, const nlohmann::json&)> on_telemetry;
};

class TelemetryPoller {
 public:
  TelemetryPoller(store::Store& db, EventHub& events, const Clock& clock, PollerSettings settings);
  ~TelemetryPoller();
  void start();
  void stop();
  // One round over every registered device (used by the loop; callable directly).
  void poll_once();
  // Rounds (and retention) run only while gate() is true: on the controller holding the background lease.
  void set_gate(std::function<bool()> gate) { gate_ = std::move(gate); }
  static std::string topic(long long device_id) { return "telemetry/" + std::to_string(device_id); }
  // Told of stored samples and of devices going offline or coming back (set before start()).
  void set_observer(FleetObserver* observer) { observer_ = observer; }

 private:
  struct Outcome {
    std::optional<TelemetrySample> sample;
    std::string error;
  };
  Outcome poll_device(const Device& d);
  void round();  // one scheduled round: poll every device, then retention when due

  store::Store& db_;
  EventHub& events_;
  const Clock& clock_;
  PollerSettings settings_;
  std::mutex clients_mu_;
  std::map<long long, std::shared_ptr<AgentClient>> clients_;  // keep-alive connection per device
  std::function<bool()> gate_;
  double last_retention_ = 0;
  FleetObserver* observer_ = nullptr;
  std::map<long long, double> last_t_;  // per device, the agent's time of the newest sample stored (poll thread only)
  std::unique_ptr<PeriodicTask> task_;  // last: stopped before the members its rounds use
};

}  // namespace edgeml::controller
