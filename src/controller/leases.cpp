#include "controller/leases.hpp"

#include <unistd.h>

#include <filesystem>

#include "common/log.hpp"

namespace edgeml::controller {

BackgroundLease::BackgroundLease(store::LeaseStore& leases, const Clock& clock, LeaseSettings settings)
    : leases_(leases), clock_(clock), settings_(std::move(settings)) {}

BackgroundLease::~BackgroundLease() { stop(); }

void BackgroundLease::while_held(std::function<void()> job) { jobs_.push_back(std::move(job)); }

void BackgroundLease::start() {
  if (task_) return;
  // Renewed three times per period: one missed renewal (a slow database) does not lose the lease.
  renew();
  task_ = std::make_unique<PeriodicTask>(
      "lease", settings_.lease_s / 3, [this] { renew(); }, false);
  task_->start();
}

void BackgroundLease::stop() {
  if (!task_) return;
  task_->stop();
  task_.reset();
  held_until_ = 0;
  try {
    leases_.release(kBackground, settings_.instance_id);
    leases_.release(kLivenessPrefix + settings_.instance_id, settings_.instance_id);
  } catch (const std::exception& e) {
    log::warn("controller", std::string("could not release the leases (they expire by themselves): ") + e.what());
  }
}

bool BackgroundLease::holds() const { return clock_.now_s() < held_until_.load(); }

void BackgroundLease::renew() {
  double now = clock_.now_s();
  bool was = holds();
  try {
    leases_.acquire(kLivenessPrefix + settings_.instance_id, settings_.instance_id, now, settings_.lease_s);
    bool held = leases_.acquire(kBackground, settings_.instance_id, now, settings_.lease_s);
    // A little short of the stored expiry, so another controller never takes over while we still think we hold it.
    held_until_ = held ? now + settings_.lease_s * 0.9 : 0;
  } catch (const std::exception& e) {
    log::warn("controller", std::string("lease renewal failed: ") + e.what());
  }
  bool is = holds();
  if (is != was)
    log::info("controller", settings_.instance_id + (is ? " now runs" : " no longer runs") +
                                " the background work (retention, polling, rollout takeover)");
  if (!is) return;
  for (auto& job : jobs_) job();
}

std::string default_instance_id(const std::string& state_dir) {
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0) host[0] = 0;
  std::error_code ec;
  auto dir = std::filesystem::absolute(state_dir, ec);
  return std::string(host[0] ? host : "controller") + ":" + (ec ? state_dir : dir.lexically_normal().string());
}

}  // namespace edgeml::controller
