#include "mqtt/event_loop.hpp"

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <future>
#include <stdexcept>

#include "common/log.hpp"
#include "mqtt/event_loop_impl.hpp"

namespace edgeml::mqtt {

namespace {
constexpr double kSweepPeriodS = 0.05;  // how often every client's timers (connect, keep-alive) are looked at
constexpr int kMaxEvents = 512;
}  // namespace

EventLoop::Impl::Impl(const Clock* c) : clock(c ? *c : own_clock) {
  epfd = epoll_create1(EPOLL_CLOEXEC);
  wakefd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (epfd < 0 || wakefd < 0) throw std::runtime_error(std::string("mqtt event loop: ") + std::strerror(errno));
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.ptr = nullptr;  // the wake-up descriptor
  epoll_ctl(epfd, EPOLL_CTL_ADD, wakefd, &ev);
}

EventLoop::Impl::~Impl() {
  ::close(wakefd);
  ::close(epfd);
}

void EventLoop::Impl::wake() {
  std::uint64_t one = 1;
  if (::write(wakefd, &one, sizeof one) < 0) {
    // EAGAIN: the counter is already non-zero, the loop will wake anyway.
  }
}

void EventLoop::Impl::request_flush(Client::Impl* c) {
  if (c->flush_queued.exchange(true)) return;
  if (in_loop_thread()) {
    flush_local.push_back(c);
    return;
  }
  {
    std::lock_guard lock(mu);
    flush_remote.push_back(c);
  }
  if (running.load()) wake();
}

void EventLoop::Impl::take_pending(double now) {
  std::vector<Client::Impl*> added, flush;
  std::vector<std::function<void()>> todo;
  {
    std::lock_guard lock(mu);
    added.swap(pending_add);
    flush.swap(flush_remote);
    todo.swap(tasks);
  }
  for (auto* c : added) {
    c->attach(this, epfd);
    clients.push_back(c);
    c->service(now);
  }
  flush_local.insert(flush_local.end(), flush.begin(), flush.end());
  for (auto& t : todo) t();
}

void EventLoop::Impl::run() {
  loop_thread = std::this_thread::get_id();
  epoll_event events[kMaxEvents];
  while (!stopping.load()) {
    double now = clock.monotonic_s();
    double wait_s = kSweepPeriodS;
    if (ticker) wait_s = std::clamp(next_tick_s - now, 0.0, kSweepPeriodS);
    if (!flush_local.empty()) wait_s = 0;
    int n = epoll_wait(epfd, events, kMaxEvents, static_cast<int>(std::ceil(wait_s * 1000)));
    if (n < 0 && errno != EINTR) {
      log::error("mqtt", std::string("epoll_wait failed: ") + std::strerror(errno));
      break;
    }
    now = clock.monotonic_s();
    for (int i = 0; i < n; ++i) {
      if (events[i].data.ptr == nullptr) {
        std::uint64_t count;
        while (::read(wakefd, &count, sizeof count) > 0) {
        }
        continue;
      }
      static_cast<Client::Impl*>(events[i].data.ptr)->on_events(events[i].events, now);
    }
    take_pending(now);
    if (ticker && now >= next_tick_s) {
      ticker(now);
      next_tick_s += tick_period_s;
      if (next_tick_s < now) next_tick_s = now + tick_period_s;  // behind: skip, do not burst
    }
    if (now >= next_sweep_s) {
      next_sweep_s = now + kSweepPeriodS;
      for (std::size_t i = 0; i < clients.size(); ++i) clients[i]->service(now);
    }
    // Writes queued by publishes (this thread's or others') go out now.
    while (!flush_local.empty()) {
      std::vector<Client::Impl*> batch;
      batch.swap(flush_local);
      for (auto* c : batch) {
        c->flush_queued = false;
        c->after_io(now);
      }
    }
  }
  loop_thread = std::thread::id{};
}

void EventLoop::Impl::run_sync(const std::function<void()>& fn) {
  if (!running.load() || in_loop_thread()) {
    fn();
    return;
  }
  std::promise<void> done;
  std::exception_ptr error;
  {
    std::lock_guard lock(mu);
    tasks.push_back([&] {
      try {
        fn();
      } catch (...) {
        error = std::current_exception();
      }
      done.set_value();
    });
  }
  wake();
  done.get_future().wait();
  if (error) std::rethrow_exception(error);
}

// ---- EventLoop ----

EventLoop::EventLoop(const Clock* clock) : impl_(std::make_unique<Impl>(clock)) {}

EventLoop::~EventLoop() {
  stop();
  for (auto* c : impl_->clients) c->detach();
  std::lock_guard lock(impl_->mu);
  for (auto* c : impl_->pending_add) c->loop = nullptr;
}

void EventLoop::add(Client& client) {
  auto* c = client.impl_.get();
  if (c->loop.load()) throw std::logic_error("client " + c->opt.client_id + " already belongs to a loop");
  c->loop = impl_.get();
  {
    std::lock_guard lock(impl_->mu);
    impl_->pending_add.push_back(c);
  }
  impl_->wake();
}

void EventLoop::remove(Client& client) {
  auto* c = client.impl_.get();
  if (c->loop.load() != impl_.get()) return;
  impl_->run_sync([&] {
    c->detach();
    auto& i = *impl_;
    std::erase(i.clients, c);
    std::erase(i.flush_local, c);
    std::lock_guard lock(i.mu);
    std::erase(i.flush_remote, c);
    std::erase(i.pending_add, c);
  });
}

void EventLoop::start() {
  if (impl_->running.load()) return;
  impl_->stopping = false;
  impl_->running = true;
  impl_->next_tick_s = impl_->clock.monotonic_s();
  impl_->thread = std::thread([this] { impl_->run(); });
  while (impl_->loop_thread.load() == std::thread::id{} && !impl_->stopping) std::this_thread::yield();
}

void EventLoop::stop() {
  if (!impl_->running.load()) return;
  impl_->stopping = true;
  impl_->wake();
  impl_->thread.join();
  impl_->running = false;
}

bool EventLoop::running() const { return impl_->running.load(); }
bool EventLoop::in_loop_thread() const { return impl_->in_loop_thread(); }

void EventLoop::run_sync(const std::function<void()>& fn) { impl_->run_sync(fn); }

void EventLoop::set_ticker(double period_s, std::function<void(double now_s)> fn) {
  if (period_s <= 0) throw std::invalid_argument("ticker period must be > 0");
  impl_->tick_period_s = period_s;
  impl_->ticker = std::move(fn);
}

}  // namespace edgeml::mqtt
