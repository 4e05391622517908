#include "alerts/delivery_queue.hpp"

#include <algorithm>
#include <cmath>

#include "common/json_fields.hpp"
#include "common/strings.hpp"

namespace edgeml::alerts {

namespace {

using nlohmann::json;

json attempts_json(const std::vector<DeliveryAttempt>& attempts) {
  json out = json::array();
  for (const auto& a : attempts)
    out.push_back(
        {{"at_s", a.at_s}, {"at", format_utc(a.at_s)}, {"ok", a.ok}, {"error", a.error}, {"retryable", a.retryable}});
  return out;
}

Delivery::Status parse_status(const std::string& s, const std::string& field) {
  if (s == "pending") return Delivery::Status::pending;
  if (s == "delivered") return Delivery::Status::delivered;
  if (s == "failed") return Delivery::Status::failed;
  throw FieldError(field, "'" + field + "' must be pending, delivered or failed");
}

}  // namespace

double RetryPolicy::backoff_after(int attempt) const {
  double wait = first_backoff_s * std::pow(backoff_factor, std::max(0, attempt - 1));
  return std::min(max_backoff_s, wait);
}

const char* to_string(Delivery::Status s) {
  switch (s) {
    case Delivery::Status::pending:
      return "pending";
    case Delivery::Status::delivered:
      return "delivered";
    case Delivery::Status::failed:
      return "failed";
  }
  return "pending";
}

json to_json(const Delivery& d) {
  json j{{"id", d.id},
         {"status", to_string(d.status)},
         {"target", d.target.describe()},
         {"rule", d.transition.rule},
         {"device", d.transition.device},
         {"transition", to_string(d.transition.kind)},
         {"transition_at_s", d.transition.at_s},
         {"created_s", d.created_s},
         {"attempts", attempts_json(d.attempts)},
         {"next_attempt_s", d.next_attempt_s ? json(*d.next_attempt_s) : json(nullptr)}};
  j["last_error"] = d.attempts.empty() || d.attempts.back().ok ? "" : d.attempts.back().error;
  return j;
}

DeliveryQueue::DeliveryQueue(Notifier& notifier, const Clock& clock, RetryPolicy policy, size_t keep_finished,
                             size_t max_pending)
    : notifier_(notifier), clock_(clock), policy_(policy), keep_finished_(keep_finished), max_pending_(max_pending) {
  if (policy_.max_attempts < 1) throw FieldError("max_attempts", "'max_attempts' must be at least 1");
  if (!(policy_.first_backoff_s >= 0) || !(policy_.backoff_factor >= 1) || !(policy_.max_backoff_s >= 0))
    throw FieldError("backoff", "backoff must be >= 0 s with a factor >= 1");
}

std::vector<long long> DeliveryQueue::enqueue(const AlertRule& rule, const Transition& t) {
  std::vector<long long> ids;
  if (t.kind == TransitionKind::pending) return ids;
  std::lock_guard lock(mu_);
  double now = clock_.now_s();
  for (const auto& target : rule.notify) {
    Delivery d;
    d.id = next_id_++;
    d.transition = t;
    d.target = target;
    d.created_s = now;
    d.next_attempt_s = now;
    ids.push_back(d.id);
    deliveries_.push_back(std::move(d));
  }
  size_t pending = 0;
  for (const auto& d : deliveries_) pending += d.status == Delivery::Status::pending;
  for (auto& d : deliveries_) {
    if (pending <= max_pending_) break;
    bool in_flight = std::find(in_flight_.begin(), in_flight_.end(), d.id) != in_flight_.end();
    if (d.status != Delivery::Status::pending || in_flight) continue;
    d.status = Delivery::Status::failed;
    d.next_attempt_s.reset();
    d.attempts.push_back(
        {now, false, "given up: more than " + std::to_string(max_pending_) + " deliveries pending", false});
    --pending;
  }
  trim_finished();
  return ids;
}

std::vector<Delivery> DeliveryQueue::run_due() {
  std::vector<Delivery> due;
  {
    std::lock_guard lock(mu_);
    double now = clock_.now_s();
    for (const auto& d : deliveries_)
      if (d.status == Delivery::Status::pending && d.next_attempt_s && *d.next_attempt_s <= now &&
          std::find(in_flight_.begin(), in_flight_.end(), d.id) == in_flight_.end()) {
        due.push_back(d);
        in_flight_.push_back(d.id);
      }
  }
  std::sort(due.begin(), due.end(), [](const Delivery& a, const Delivery& b) {
    return std::tie(*a.next_attempt_s, a.id) < std::tie(*b.next_attempt_s, b.id);
  });
  for (auto& d : due) {
    DeliveryAttempt attempt;
    attempt.at_s = clock_.now_s();
    try {
      notifier_.send(d.target, d.transition);
      attempt.ok = true;
    } catch (const DeliveryError& e) {
      attempt.error = e.what();
      attempt.retryable = e.retryable();
    } catch (const std::exception& e) {  // a fault of ours: recorded, not retried
      attempt.error = std::string("internal error: ") + e.what();
    }
    d.attempts.push_back(attempt);
    int n = static_cast<int>(d.attempts.size());
    if (attempt.ok) {
      d.status = Delivery::Status::delivered;
      d.next_attempt_s.reset();
    } else if (attempt.retryable && n < policy_.max_attempts) {
      d.next_attempt_s = attempt.at_s + policy_.backoff_after(n);
    } else {
      d.status = Delivery::Status::failed;
      d.next_attempt_s.reset();
      if (attempt.retryable) d.attempts.back().error += " (gave up after " + std::to_string(n) + " attempts)";
    }
  }
  std::lock_guard lock(mu_);
  for (const auto& d : due) {
    for (auto& stored : deliveries_)
      if (stored.id == d.id) stored = d;
    in_flight_.erase(std::remove(in_flight_.begin(), in_flight_.end(), d.id), in_flight_.end());
  }
  trim_finished();
  return due;
}

void DeliveryQueue::trim_finished() {
  size_t finished = 0;
  for (const auto& d : deliveries_) finished += d.status != Delivery::Status::pending;
  for (auto it = deliveries_.begin(); finished > keep_finished_ && it != deliveries_.end();) {
    if (it->status != Delivery::Status::pending) {
      it = deliveries_.erase(it);
      --finished;
    } else {
      ++it;
    }
  }
}

std::optional<double> DeliveryQueue::next_due_s() const {
  std::lock_guard lock(mu_);
  std::optional<double> next;
  for (const auto& d : deliveries_)
    if (d.status == Delivery::Status::pending && d.next_attempt_s && (!next || *d.next_attempt_s < *next))
      next = d.next_attempt_s;
  return next;
}

std::vector<Delivery> DeliveryQueue::deliveries() const {
  std::lock_guard lock(mu_);
  return {deliveries_.begin(), deliveries_.end()};
}

std::optional<Delivery> DeliveryQueue::delivery(long long id) const {
  std::lock_guard lock(mu_);
  for (const auto& d : deliveries_)
    if (d.id == id) return d;
  return std::nullopt;
}

json DeliveryQueue::persisted() const {
  std::lock_guard lock(mu_);
  json list = json::array();
  for (const auto& d : deliveries_)
    list.push_back({{"id", d.id},
                    {"status", to_string(d.status)},
                    {"target", alerts::to_json(d.target)},
                    {"transition", alerts::to_json(d.transition)},
                    {"attempts", attempts_json(d.attempts)},
                    {"created_s", d.created_s},
                    {"next_attempt_s", d.next_attempt_s ? json(*d.next_attempt_s) : json(nullptr)}});
  return {{"version", 1}, {"next_id", next_id_}, {"deliveries", list}};
}

void DeliveryQueue::restore(const json& persisted) {
  if (!persisted.is_object() || persisted.value("version", 0) != 1)
    throw FieldError("deliveries.version", "delivery records must be an object with \"version\": 1");
  const json& list = persisted.contains("deliveries") ? persisted["deliveries"] : json::array();
  if (!list.is_array()) throw FieldError("deliveries", "'deliveries' must be a list");
  std::deque<Delivery> out;
  long long max_id = 0;
  for (size_t i = 0; i < list.size(); ++i) {
    std::string where = "deliveries[" + std::to_string(i) + "]";
    try {
      const json& r = list[i];
      Delivery d;
      d.id = static_cast<long long>(require_number(r, "id", {1, 9e15}));
      d.status = parse_status(require_string(r, "status", 16), "status");
      if (!r.contains("target")) throw FieldError("target", "missing required field 'target'");
      d.target = parse_notify_target(r["target"], "target");
      if (!r.contains("transition")) throw FieldError("transition", "missing required field 'transition'");
      d.transition = transition_from_json(r["transition"]);
      d.created_s = require_number(r, "created_s", {0, 1e12});
      d.next_attempt_s = optional_number(r, "next_attempt_s", {0, 1e12});
      if (d.status == Delivery::Status::pending && !d.next_attempt_s)
        throw FieldError("next_attempt_s", "a pending delivery needs next_attempt_s");
      if (r.contains("attempts")) {
        if (!r["attempts"].is_array()) throw FieldError("attempts", "'attempts' must be a list");
        for (const auto& a : r["attempts"]) {
          DeliveryAttempt at;
          at.at_s = require_number(a, "at_s", {0, 1e12});
          at.ok = optional_bool(a, "ok").value_or(false);
          at.error = optional_string(a, "error", 4000).value_or("");
          at.retryable = optional_bool(a, "retryable").value_or(false);
          d.attempts.push_back(at);
        }
      }
      max_id = std::max(max_id, d.id);
      out.push_back(std::move(d));
    } catch (const FieldError& e) {
      throw FieldError(where + "." + e.field(), where + ": " + e.what());
    }
  }
  std::lock_guard lock(mu_);
  deliveries_ = std::move(out);
  next_id_ = std::max<long long>(max_id + 1, persisted.value("next_id", 1LL));
  in_flight_.clear();
}

}  // namespace edgeml::alerts
