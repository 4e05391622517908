#pragma once
// The audit log: every request to a route that changes something (RouteOptions.mutates), allowed or refused, with
// who asked and the answer, written to the audit_log table. The server calls record() on its I/O thread after each
// request, so entries go through a queue to a writer thread of their own: a slow database write never holds up
// other connections. The queue is bounded; if the database stalls long enough to fill it, further entries are
// counted as dropped and logged, never allowed to grow memory without limit.
#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include "common/clock.hpp"
#include "http/router.hpp"
#include "store/audit_log.hpp"

namespace edgeml::controller {

class AuditRecorder {
 public:
  AuditRecorder(store::AuditStore& store, const Clock& clock, size_t max_queued = 10000);
  ~AuditRecorder();  // writes what is queued, then stops

  // The server's RequestObserver.
  void record(const http::Request& req, const http::Response& res, const http::RouteOptions* route);
  // Blocks until every entry queued so far is written (tests, shutdown).
  void flush();
  unsigned long long dropped() const { return dropped_; }

 private:
  void run();

  store::AuditStore& store_;
  const Clock& clock_;
  size_t max_queued_;
  std::mutex mu_;
  std::condition_variable cv_, idle_cv_;
  std::deque<store::AuditEntry> queue_;
  bool writing_ = false;
  bool stopping_ = false;
  std::atomic<unsigned long long> dropped_{0};
  std::thread writer_;
};

// The entry for one request: route pattern as the action, the error message of a refused request as the detail,
// control characters of the path replaced (it goes into logs and a dashboard table).
store::AuditEntry audit_entry(const http::Request& req, const http::Response& res, const http::RouteOptions& route,
                              double t);

}  // namespace edgeml::controller
