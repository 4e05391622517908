#pragma once
// Several controllers on one database: which of them runs the background work. Each controller has an instance id
// and keeps two leases in the store (store/leases.hpp), renewed every third of the lease period:
//   "controller/<id>"  that it is alive (a deployment it owns is orphaned once this expires: it died);
//   "background"       held by one controller at a time: retention and downsampling, the LAN telemetry poller and
//                      the takeover of orphaned rollouts run there only, and another controller takes it over within
//                      one lease period when the holder stops renewing.
// Jobs ask holds() (or register to run on every renewal while held); nothing else decides who runs what.
// A controller that cannot reach the database stops believing it holds the lease once its last renewal expires.
#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "common/periodic.hpp"
#include "store/leases.hpp"

namespace edgeml::controller {

struct LeaseSettings {
  std::string instance_id;  // unique per controller (config: --instance-id, default host + state folder)
  double lease_s = 10;      // how long a lease lasts without renewal (the takeover time)
};

class BackgroundLease {
 public:
  static constexpr const char* kBackground = "background";
  static constexpr const char* kLivenessPrefix = "controller/";

  BackgroundLease(store::LeaseStore& leases, const Clock& clock, LeaseSettings settings);
  ~BackgroundLease();
  // Takes the leases at once (so holds() is right before the first job runs), then renews them in the background.
  void start();
  // Stops renewing and releases both leases: another controller takes over at once instead of after a period.
  void stop();
  bool holds() const;
  const std::string& instance_id() const { return settings_.instance_id; }
  // Runs on the lease thread after every renewal while this controller holds the background lease (and at once when it
  // takes it). Register before start().
  void while_held(std::function<void()> job);
  // One renewal round (the periodic step; tests call it directly).
  void renew();

 private:
  store::LeaseStore& leases_;
  const Clock& clock_;
  LeaseSettings settings_;
  std::atomic<double> held_until_{0};  // the clock's now_s at which our hold lapses if not renewed
  std::vector<std::function<void()>> jobs_;
  std::unique_ptr<PeriodicTask> task_;
};

// The default instance id: host name and the state folder's absolute path (stable across restarts of one controller,
// different for two controllers on one host).
std::string default_instance_id(const std::string& state_dir);

}  // namespace edgeml::controller
