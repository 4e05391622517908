#include "mqtt/client.hpp"

#include <mqtt_protocol.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <functional>
#include <future>
#include <stdexcept>

#include "common/log.hpp"
#include "common/strings.hpp"
#include "mqtt/event_loop_impl.hpp"
#include "mqtt/library.hpp"

namespace edgeml::mqtt {

namespace {
Client::Impl* self(void* obj) { return static_cast<Client::Impl*>(obj); }

std::string describe(int rc) {
  if (rc == MOSQ_ERR_ERRNO) return std::strerror(errno);
  if (rc == MOSQ_ERR_EAI) return "host name lookup failed";
  return mosquitto_strerror(rc);
}

std::uint64_t seed_for(const ClientOptions& o) {
  return o.seed != 0 ? o.seed : std::hash<std::string>{}(o.client_id) | 1;
}

// Largest MQTT packet we accept: the payload limit plus room for the fixed header, a topic of our scheme and
// properties. A message a little over the payload limit may still come (a long topic); handle_message drops it.
std::uint32_t max_packet_bytes(const ClientOptions& o) {
  return static_cast<std::uint32_t>(o.max_payload_bytes + 4096);
}
}  // namespace

Client::Impl::Impl(ClientOptions o, ClientCallbacks c, const Clock* clk)
    : opt(std::move(o)),
      cb(std::move(c)),
      clock(clk ? *clk : own_clock),
      backoff(opt.reconnect_min_s, opt.reconnect_max_s, seed_for(opt)) {
  check_options(opt);
  ensure_library();
  mosq = mosquitto_new(opt.client_id.c_str(), opt.clean_session, this);
  if (!mosq) throw std::runtime_error("mosquitto_new failed for client " + opt.client_id);
  // Publishes may come from any thread: libmosquitto then only queues them and the loop thread writes.
  mosquitto_threaded_set(mosq, true);
  bool v5 = opt.protocol == Protocol::mqtt5;
  mosquitto_int_option(mosq, MOSQ_OPT_PROTOCOL_VERSION, v5 ? MQTT_PROTOCOL_V5 : MQTT_PROTOCOL_V311);
  mosquitto_max_inflight_messages_set(mosq, static_cast<unsigned>(opt.max_inflight));
  if (v5) mosquitto_int_option(mosq, MOSQ_OPT_RECEIVE_MAXIMUM, opt.receive_maximum);
  // Small messages that someone waits for (a command, its acknowledgement): no Nagle delay behind a delayed ACK.
  mosquitto_int_option(mosq, MOSQ_OPT_TCP_NODELAY, 1);
  if (!opt.credentials.username.empty())
    mosquitto_username_pw_set(mosq, opt.credentials.username.c_str(),
                              opt.credentials.password.empty() ? nullptr : opt.credentials.password.c_str());
  if (opt.will)
    mosquitto_will_set(mosq, opt.will->topic.c_str(), static_cast<int>(opt.will->payload.size()),
                       opt.will->payload.data(), opt.will->qos, opt.will->retain);
  if (opt.broker.tls) {
    const char* ca = opt.tls.ca_file.empty() ? nullptr : opt.tls.ca_file.c_str();
    const char* capath = ca ? nullptr : "/etc/ssl/certs";
    const char* cert = opt.tls.cert_file.empty() ? nullptr : opt.tls.cert_file.c_str();
    const char* key = opt.tls.key_file.empty() ? nullptr : opt.tls.key_file.c_str();
    int rc = mosquitto_tls_set(mosq, ca, capath, cert, key, nullptr);
    if (rc != MOSQ_ERR_SUCCESS)
      throw std::runtime_error("TLS setup for " + opt.client_id + " failed: " + mosquitto_strerror(rc));
  }
  if (v5) {
    mosquitto_property_add_int32(&connect_props, MQTT_PROP_SESSION_EXPIRY_INTERVAL,
                                 opt.clean_session ? 0 : opt.session_expiry_s);
    mosquitto_property_add_int32(&connect_props, MQTT_PROP_MAXIMUM_PACKET_SIZE, max_packet_bytes(opt));
  }
  mosquitto_connect_v5_callback_set(mosq, [](mosquitto*, void* obj, int rc, int flags, const mosquitto_property*) {
    self(obj)->handle_connack(rc, flags);
  });
  mosquitto_disconnect_v5_callback_set(mosq, [](mosquitto*, void* obj, int rc, const mosquitto_property*) {
    // errno is only meaningful now (MOSQ_ERR_ERRNO), so the reason is put into words here.
    self(obj)->disconnect_reason = rc == MOSQ_ERR_ERRNO && errno != 0 ? std::strerror(errno)
                                   : rc == MOSQ_ERR_ERRNO             ? "closed by the peer"
                                                                      : mosquitto_strerror(rc);
  });
  mosquitto_publish_v5_callback_set(mosq, [](mosquitto*, void* obj, int mid, int reason, const mosquitto_property*) {
    self(obj)->handle_puback(mid, reason);
  });
  mosquitto_message_v5_callback_set(mosq, [](mosquitto*, void* obj, const mosquitto_message* m,
                                             const mosquitto_property*) { self(obj)->handle_message(m); });
  mosquitto_subscribe_v5_callback_set(
      mosq, [](mosquitto*, void* obj, int, int count, const int* granted, const mosquitto_property*) {
        self(obj)->handle_suback(count, granted);
      });
}

Client::Impl::~Impl() {
  if (mosq) mosquitto_destroy(mosq);
  mosquitto_property_free_all(&connect_props);
}

bool Client::Impl::publish(std::string_view topic, std::string_view payload, int qos, bool retain, std::uint64_t tag,
                           int* mid_out) {
  if (!is_connected.load() || qos < 0 || qos > 1) {
    counters.publish_refused.fetch_add(1, std::memory_order_relaxed);
    return false;
  }
  std::string t(topic);  // libmosquitto wants a terminated string
  int mid = 0, rc;
  {
    // Held across the call and the map entry: the PUBACK (handled on the loop thread) must find the tag.
    std::lock_guard lock(pub_mu);
    rc = mosquitto_publish_v5(mosq, &mid, t.c_str(), static_cast<int>(payload.size()), payload.data(), qos, retain,
                              nullptr);
    if (rc == MOSQ_ERR_SUCCESS && qos > 0) inflight[mid] = tag;
  }
  if (rc != MOSQ_ERR_SUCCESS) {
    counters.publish_refused.fetch_add(1, std::memory_order_relaxed);
    log::debug("mqtt", opt.client_id + ": publish to " + t + " refused: " + describe(rc));
    return false;
  }
  counters.published.fetch_add(1, std::memory_order_relaxed);
  if (mid_out) *mid_out = mid;
  if (auto* l = loop.load()) l->request_flush(this);
  return true;
}

void Client::Impl::attach(EventLoop::Impl* l, int ep) {
  loop = l;
  epfd = ep;
}

void Client::Impl::detach() {
  if (registered_fd >= 0 && mosquitto_socket(mosq) == registered_fd)
    epoll_ctl(epfd, EPOLL_CTL_DEL, registered_fd, nullptr);
  registered_fd = -1;
  loop = nullptr;
  epfd = -1;
}

void Client::Impl::attempt(double now) {
  counters.connect_attempts.fetch_add(1, std::memory_order_relaxed);
  refused_in_attempt = false;
  disconnect_reason.clear();
  // The connect closes any previous socket, and with it that socket's epoll registration.
  registered_fd = -1;
  int rc;
  if (opt.broker.tls) {
    // TLS: the handshake completes inside libmosquitto's blocking connect (its non-blocking handshake is driven only
    // by its own loop).
    rc = opt.protocol == Protocol::mqtt5
             ? mosquitto_connect_bind_v5(mosq, opt.broker.host.c_str(), opt.broker.port, opt.keepalive_s, nullptr,
                                         connect_props)
             : mosquitto_connect_bind(mosq, opt.broker.host.c_str(), opt.broker.port, opt.keepalive_s, nullptr);
  } else {
    if (opt.protocol == Protocol::mqtt5 && !properties_registered) {
      // libmosquitto 2.0 takes CONNECT properties (the session expiry) only in its blocking connect call and keeps them
      // for every later connect. Registered once with a connect to 127.0.0.1 port 0, which fails at once without
      // touching the network; the MqttSession test checks the session expiry still reaches the broker.
      mosquitto_connect_bind_v5(mosq, "127.0.0.1", 0, opt.keepalive_s, nullptr, connect_props);
      properties_registered = true;
    }
    // Non-blocking TCP connect: a slow or silent broker never holds the loop thread (DNS resolution still blocks).
    rc = mosquitto_connect_bind_async(mosq, opt.broker.host.c_str(), opt.broker.port, opt.keepalive_s, nullptr);
  }
  if (rc != MOSQ_ERR_SUCCESS) {
    counters.connect_failed.fetch_add(1, std::memory_order_relaxed);
    retry_later(now, "cannot connect to " + opt.broker.to_string() + ": " + describe(rc));
    return;
  }
  phase = Phase::connecting;
  attempt_started_s = now;
  next_misc_s = now + 1;
  after_io(now);
}

void Client::Impl::retry_later(double now, const std::string& why) {
  phase = Phase::waiting;
  is_connected = false;
  next_attempt_s = std::max(now + backoff.next_delay_s(), hold_until_s);
  if (opt.log_connections && !down_logged) {
    log::warn("mqtt", opt.client_id + ": " + why + "; retrying with backoff (" + format_number(opt.reconnect_min_s, 1) +
                          " to " + format_number(opt.reconnect_max_s, 1) + " s)");
    down_logged = true;
  } else {
    log::debug("mqtt", opt.client_id + ": " + why);
  }
}

void Client::Impl::service(double now) {
  switch (phase) {
    case Phase::idle:
      attempt(now);
      return;
    case Phase::waiting:
      if (now >= next_attempt_s) attempt(now);
      return;
    case Phase::connecting:
      if (now - attempt_started_s > opt.connack_timeout_s) {
        counters.connect_failed.fetch_add(1, std::memory_order_relaxed);
        int fd = mosquitto_socket(mosq);
        if (fd >= 0) ::shutdown(fd, SHUT_RDWR);  // libmosquitto closes it at its next read
        phase = Phase::waiting;                  // counted here, not again when the socket closes
        retry_later(now, "no CONNACK from " + opt.broker.to_string() + " within " +
                             format_number(opt.connack_timeout_s, 0) + " s");
      }
      return;
    case Phase::connected:
      if (now >= next_misc_s) {
        next_misc_s = now + 1;
        mosquitto_loop_misc(mosq);  // keep-alive: PINGREQ when due, closes a connection whose PINGRESP is late
        after_io(now);
      }
      return;
    case Phase::closed:
      return;
  }
}

void Client::Impl::on_events(std::uint32_t events, double now) {
  if (mosquitto_socket(mosq) < 0) return;  // an event for a socket closed meanwhile
  if (events & (EPOLLIN | EPOLLERR | EPOLLHUP)) mosquitto_loop_read(mosq, 1);
  after_io(now);
}

void Client::Impl::after_io(double now) {
  if (mosquitto_socket(mosq) >= 0 && mosquitto_want_write(mosq)) mosquitto_loop_write(mosq, 1);
  dispatch_acks();
  if (mosquitto_socket(mosq) < 0) {
    registered_fd = -1;  // closed by libmosquitto: its epoll registration went with it
    if (phase == Phase::connecting) {
      if (refused_in_attempt) {
        counters.connect_refused.fetch_add(1, std::memory_order_relaxed);
        retry_later(now, "the broker refused the connection: " + refusal);
      } else {
        counters.connect_failed.fetch_add(1, std::memory_order_relaxed);
        retry_later(now, "connection to " + opt.broker.to_string() + " closed before CONNACK");
      }
    } else if (phase == Phase::connected) {
      counters.connection_lost.fetch_add(1, std::memory_order_relaxed);
      is_connected = false;
      std::string why = "connection lost: " + (disconnect_reason.empty() ? "closed" : disconnect_reason);
      retry_later(now, why);
      notify({false, false, why});
    }
    return;
  }
  sync_epoll();
}

void Client::Impl::sync_epoll() {
  int fd = mosquitto_socket(mosq);
  if (fd < 0 || epfd < 0) return;
  bool want_out = mosquitto_want_write(mosq);
  epoll_event ev{};
  ev.events = EPOLLIN | (want_out ? EPOLLOUT : 0u);
  ev.data.ptr = this;
  if (fd != registered_fd) {
    if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) != 0 && errno == EEXIST) epoll_ctl(epfd, EPOLL_CTL_MOD, fd, &ev);
    registered_fd = fd;
    registered_out = want_out;
  } else if (want_out != registered_out) {
    epoll_ctl(epfd, EPOLL_CTL_MOD, fd, &ev);
    registered_out = want_out;
  }
}

void Client::Impl::dispatch_acks() {
  if (acked_mids.empty() && refused_mids.empty()) return;
  std::vector<std::uint64_t> tags;
  std::size_t refused = 0;
  bool farewell = false;
  {
    std::lock_guard lock(pub_mu);
    for (int mid : acked_mids) {
      auto it = inflight.find(mid);
      if (it == inflight.end()) continue;  // QoS 0, or not ours
      tags.push_back(it->second);
      inflight.erase(it);
      if (mid == farewell_mid) farewell = farewell_acked = true;
    }
    for (int mid : refused_mids) refused += inflight.erase(mid);
  }
  acked_mids.clear();
  refused_mids.clear();
  if (farewell) farewell_cv.notify_all();
  if (refused) {
    counters.publish_refused.fetch_add(refused, std::memory_order_relaxed);
    log::warn("mqtt", opt.client_id + ": the broker refused " + std::to_string(refused) +
                          " publish(es) (PUBACK reason >= 0x80, e.g. not authorized for the topic)");
  }
  for (auto tag : tags) {
    counters.delivered.fetch_add(1, std::memory_order_relaxed);
    if (cb.on_delivered) cb.on_delivered(tag);
  }
}

void Client::Impl::notify(const ConnectionEvent& e) {
  if (cb.on_connection) cb.on_connection(e);
}

void Client::Impl::handle_connack(int rc, int flags) {
  if (rc != 0) {
    refused_in_attempt = true;
    refusal = opt.protocol == Protocol::mqtt5 ? mosquitto_reason_string(rc) : mosquitto_connack_string(rc);
    return;  // the broker closes the connection; after_io counts and schedules the retry
  }
  phase = Phase::connected;
  is_connected = true;
  backoff.reset();
  down_logged = false;
  counters.connects.fetch_add(1, std::memory_order_relaxed);
  bool session_present = (flags & 1) != 0;
  if (opt.log_connections)
    log::info("mqtt", opt.client_id + ": connected to " + opt.broker.to_string() +
                          (session_present ? " (session resumed)" : " (new session)"));
  for (const auto& s : opt.subscriptions) mosquitto_subscribe_v5(mosq, nullptr, s.filter.c_str(), s.qos, 0, nullptr);
  if (opt.birth) publish(opt.birth->topic, opt.birth->payload, opt.birth->qos, opt.birth->retain, 0);
  notify({true, session_present, ""});
}

void Client::Impl::handle_puback(int mid, int reason_code) {
  (reason_code >= 0x80 ? refused_mids : acked_mids).push_back(mid);
}

void Client::Impl::handle_message(const mosquitto_message* m) {
  if (m->payloadlen < 0 || static_cast<std::size_t>(m->payloadlen) > opt.max_payload_bytes) {
    counters.received_oversized.fetch_add(1, std::memory_order_relaxed);
    log::warn("mqtt", opt.client_id + ": dropped a " + std::to_string(m->payloadlen) + "-byte message on " +
                          (m->topic ? m->topic : "?") + " (limit " + std::to_string(opt.max_payload_bytes) + ")");
    return;
  }
  counters.received.fetch_add(1, std::memory_order_relaxed);
  if (!cb.on_message) return;
  IncomingMessage in{m->topic ? m->topic : "",
                     std::string_view(static_cast<const char*>(m->payload), static_cast<std::size_t>(m->payloadlen)),
                     m->qos, m->retain};
  cb.on_message(in);
}

void Client::Impl::handle_suback(int count, const int* granted) {
  for (int i = 0; i < count; ++i)
    if (granted[i] >= 0x80) {
      counters.subscribe_refused.fetch_add(1, std::memory_order_relaxed);
      log::warn("mqtt", opt.client_id + ": the broker refused a subscription (reason " + std::to_string(granted[i]) +
                            ", e.g. not authorized)");
    }
}

void Client::Impl::close_now() {
  phase = Phase::closed;
  is_connected = false;
  int fd = mosquitto_socket(mosq);
  if (fd < 0) return;
  mosquitto_disconnect(mosq);
  for (int i = 0; i < 100 && mosquitto_socket(mosq) >= 0 && mosquitto_want_write(mosq); ++i)
    mosquitto_loop_write(mosq, 1);
  // Whatever is in the kernel's send buffer still goes out before the FIN.
  if (mosquitto_socket(mosq) >= 0) ::shutdown(mosquitto_socket(mosq), SHUT_RDWR);
  if (auto* l = loop.load()) {
    (void)l;
    if (registered_fd >= 0 && mosquitto_socket(mosq) == registered_fd)
      epoll_ctl(epfd, EPOLL_CTL_DEL, registered_fd, nullptr);
    registered_fd = -1;
  }
  if (opt.log_connections) log::info("mqtt", opt.client_id + ": disconnected (clean shutdown)");
}

// ---- Client ----

Client::Client(ClientOptions options, ClientCallbacks callbacks, const Clock* clock)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(callbacks), clock)) {}

Client::~Client() {
  // Detach through the loop, which owns the client's epoll registration; the socket closes with the handle (no
  // DISCONNECT: call close() first for a clean shutdown).
  if (auto* l = impl_->loop.load()) {
    EventLoop::Impl& owner = *l;
    auto detach = [&] {
      impl_->detach();
      std::erase(owner.clients, impl_.get());
      std::erase(owner.flush_local, impl_.get());
      std::lock_guard lock(owner.mu);
      std::erase(owner.flush_remote, impl_.get());
      std::erase(owner.pending_add, impl_.get());
    };
    owner.run_sync(detach);
  }
}

bool Client::publish(std::string_view topic, std::string_view payload, int qos, bool retain, std::uint64_t tag) {
  return impl_->publish(topic, payload, qos, retain, tag);
}

bool Client::connected() const { return impl_->is_connected.load(); }

std::size_t Client::inflight() const {
  std::lock_guard lock(impl_->pub_mu);
  return impl_->inflight.size();
}

const ClientCounters& Client::counters() const { return impl_->counters; }
const ClientOptions& Client::options() const { return impl_->opt; }

bool Client::close(std::optional<OutgoingMessage> farewell, double timeout_s) {
  auto* l = impl_->loop.load();
  if (l && l->in_loop_thread()) throw std::logic_error("Client::close must not run on its loop's thread");
  bool acked = false;
  if (farewell && impl_->is_connected.load()) {
    int mid = -1;
    {
      std::lock_guard lock(impl_->pub_mu);
      impl_->farewell_acked = false;
      impl_->farewell_mid = -1;
    }
    if (impl_->publish(farewell->topic, farewell->payload, 1, farewell->retain, 0, &mid)) {
      std::unique_lock lock(impl_->pub_mu);
      impl_->farewell_mid = mid;
      // The PUBACK may already have been handled before farewell_mid was set: then the mid is gone from inflight.
      if (!impl_->inflight.count(mid)) impl_->farewell_acked = true;
      impl_->farewell_cv.wait_for(lock, std::chrono::duration<double>(timeout_s),
                                  [&] { return impl_->farewell_acked; });
      acked = impl_->farewell_acked;
    }
  }
  if (l)
    l->run_sync([&] { impl_->close_now(); });
  else
    impl_->close_now();
  return acked;
}

void Client::drop_link(double reconnect_after_s) {
  double now = impl_->clock.monotonic_s();
  impl_->hold_until_s = now + reconnect_after_s;
  int fd = mosquitto_socket(impl_->mosq);
  if (fd >= 0) ::shutdown(fd, SHUT_RDWR);  // the next read sees the end of the stream: a lost link, no DISCONNECT
  if (impl_->phase == Impl::Phase::waiting)
    impl_->next_attempt_s = std::max(impl_->next_attempt_s, impl_->hold_until_s);
}

}  // namespace edgeml::mqtt
