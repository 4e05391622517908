#include "controller/audit_recorder.hpp"

#include <nlohmann/json.hpp>

#include "common/log.hpp"

namespace edgeml::controller {

namespace {
std::string printable(const std::string& s, size_t max_len) {
  std::string out;
  for (char c : s.substr(0, max_len)) out += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? '?' : c;
  return out;
}
}  // namespace

store::AuditEntry audit_entry(const http::Request& req, const http::Response& res, const http::RouteOptions& route,
                              double t) {
  store::AuditEntry e;
  e.t = t;
  e.actor = req.identity.name.empty() ? "anonymous" : req.identity.name;
  e.actor_method = req.identity.method.empty() ? "anonymous" : req.identity.method;
  e.actor_role = req.identity.authenticated ? http::to_string(req.identity.role) : "";
  e.action = route.method + " " + route.pattern;
  e.path = printable(req.path, 512);
  e.status = res.status;
  e.remote_ip = req.remote_ip;
  if (res.status >= 400) {
    auto body = nlohmann::json::parse(res.body, nullptr, false);
    if (body.is_object() && body.contains("error") && body["error"].is_string())
      e.detail = printable(body["error"].get<std::string>(), 500);
  }
  return e;
}

AuditRecorder::AuditRecorder(store::AuditStore& store, const Clock& clock, size_t max_queued)
    : store_(store), clock_(clock), max_queued_(max_queued), writer_([this] { run(); }) {}

AuditRecorder::~AuditRecorder() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  writer_.join();
}

void AuditRecorder::record(const http::Request& req, const http::Response& res, const http::RouteOptions* route) {
  if (!route || !route->mutates) return;
  auto entry = audit_entry(req, res, *route, clock_.now_s());
  {
    std::lock_guard lock(mu_);
    if (queue_.size() >= max_queued_) {
      if (dropped_++ % 1000 == 0)
        log::error("controller",
                   "audit log: the database is not keeping up; entries dropped: " + std::to_string(dropped_.load()));
      return;
    }
    queue_.push_back(std::move(entry));
  }
  cv_.notify_one();
}

void AuditRecorder::flush() {
  std::unique_lock lock(mu_);
  idle_cv_.wait(lock, [&] { return queue_.empty() && !writing_; });
}

void AuditRecorder::run() {
  std::unique_lock lock(mu_);
  for (;;) {
    cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (queue_.empty() && stopping_) return;
    auto entry = std::move(queue_.front());
    queue_.pop_front();
    writing_ = true;
    lock.unlock();
    try {
      store_.add(entry);
    } catch (const std::exception& e) {
      log::error("controller", std::string("audit log: cannot write an entry: ") + e.what());
    }
    lock.lock();
    writing_ = false;
    if (queue_.empty()) idle_cv_.notify_all();
  }
}

}  // namespace edgeml::controller
