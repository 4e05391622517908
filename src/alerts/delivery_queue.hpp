#pragma once
// Notifications on their way: one delivery per (transition, target), attempted when due, retried with exponential
// backoff while the failure is retryable, and recorded attempt by attempt so the dashboard can show what failed and
// why. The queue does not sleep or start threads: the controller calls run_due() when next_due_s() comes (from its
// own worker), so tests drive it with a ManualClock. Its records are JSON the controller stores (to_json /
// restore), so deliveries still due survive a restart.
#include <deque>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "alerts/evaluator.hpp"
#include "alerts/notifier.hpp"
#include "alerts/rule.hpp"
#include "common/clock.hpp"

namespace edgeml::alerts {

struct RetryPolicy {
  int max_attempts = 6;              // including the first
  double first_backoff_s = 5;        // wait after the first failure
  double backoff_factor = 2;         // each further wait is this many times the last
  double max_backoff_s = 15 * 60.0;  // never wait longer than this between attempts
  // Wait after failed attempt n (1-based): min(max_backoff_s, first_backoff_s * backoff_factor^(n-1)).
  double backoff_after(int attempt) const;
};

struct DeliveryAttempt {
  double at_s = 0;
  bool ok = false;
  std::string error;  // empty when ok
  bool retryable = false;
};

struct Delivery {
  enum class Status { pending, delivered, failed };
  long long id = 0;
  Transition transition;
  NotifyTarget target;
  Status status = Status::pending;
  std::vector<DeliveryAttempt> attempts;
  double created_s = 0;
  std::optional<double> next_attempt_s;  // while pending
};
const char* to_string(Delivery::Status s);
// The record the API shows: the target as describe() gives it (never a webhook's path or a credential).
nlohmann::json to_json(const Delivery& d);

class DeliveryQueue {
 public:
  // keep_finished: delivered and failed records kept for display (oldest dropped first). max_pending: deliveries
  // waiting at most; beyond it (an alert storm while a receiver is down) the oldest pending one is given up and
  // recorded as failed, so memory stays bounded.
  DeliveryQueue(Notifier& notifier, const Clock& clock, RetryPolicy policy = {}, size_t keep_finished = 1000,
                size_t max_pending = 10000);

  // One delivery per target of the rule, due now. Pending transitions are not announced (nothing to act on yet).
  // Returns the new deliveries' ids.
  std::vector<long long> enqueue(const AlertRule& rule, const Transition& t);
  // Attempts every delivery that is due at the clock's now, in order of due time; returns them as they are after
  // the attempt. Sends happen outside the lock, so deliveries() answers while a slow server is being waited for.
  std::vector<Delivery> run_due();
  // When the next pending delivery is due (nullopt: none pending).
  std::optional<double> next_due_s() const;

  std::vector<Delivery> deliveries() const;  // oldest first
  std::optional<Delivery> delivery(long long id) const;

  // For the controller's store, not for display: unlike to_json(Delivery) it holds the full target (a webhook's URL
  // with its secret path), so a pending delivery can be resumed after a restart.
  nlohmann::json persisted() const;
  // Brings back what persisted() wrote, replacing the queue. Throws FieldError("deliveries[i]...") and keeps the
  // current queue on a malformed record.
  void restore(const nlohmann::json& persisted);

 private:
  void trim_finished();
  Notifier& notifier_;
  const Clock& clock_;
  RetryPolicy policy_;
  size_t keep_finished_;
  size_t max_pending_;
  mutable std::mutex mu_;
  std::deque<Delivery> deliveries_;
  long long next_id_ = 1;
  std::vector<long long> in_flight_;  // taken by a run_due that has not finished
};

}  // namespace edgeml::alerts
