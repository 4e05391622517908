#include "http/stream_channel.hpp"

namespace edgeml::http {

StreamChannel::StreamChannel(std::string content_type, size_t max_buffered_bytes, double heartbeat_s,
                             std::string heartbeat)
    : content_type_(std::move(content_type)),
      max_buffered_(max_buffered_bytes),
      heartbeat_s_(heartbeat_s),
      heartbeat_(std::move(heartbeat)) {}

bool StreamChannel::push(std::string_view chunk) {
  std::function<void()> wake;
  {
    std::lock_guard lock(mu_);
    if (closed_ || gone_) return false;
    if (queued_.size() + chunk.size() > max_buffered_) {
      // The client does not keep up: end its stream rather than grow without bound.
      gone_ = true;
      queued_.clear();
    } else {
      queued_.append(chunk);
    }
    wake = wake_;
  }
  if (wake) wake();
  return true;
}

void StreamChannel::close() {
  std::function<void()> wake;
  {
    std::lock_guard lock(mu_);
    if (closed_) return;
    closed_ = true;
    wake = wake_;
  }
  if (wake) wake();
}

bool StreamChannel::open() const {
  std::lock_guard lock(mu_);
  return !closed_ && !gone_;
}

void StreamChannel::on_end(std::function<void()> f) {
  std::lock_guard lock(mu_);
  on_end_ = std::move(f);
}

void StreamChannel::set_waker(std::function<void()> wake) {
  std::lock_guard lock(mu_);
  wake_ = std::move(wake);
}

void StreamChannel::take(std::string& out, bool& ended) {
  std::lock_guard lock(mu_);
  out.swap(queued_);
  queued_.clear();
  ended = closed_ || gone_;
}

void StreamChannel::finished() {
  std::function<void()> f;
  {
    std::lock_guard lock(mu_);
    gone_ = true;
    wake_ = nullptr;
    f.swap(on_end_);
  }
  if (f) f();
}

}  // namespace edgeml::http
