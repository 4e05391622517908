#include "http/server.hpp"

#include <sys/resource.h>

#include <atomic>
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include "common/error.hpp"
#include "common/log.hpp"
#include "common/strings.hpp"
#include "http/handler_guard.hpp"
#include "http/replies.hpp"
#include "http/stream_channel.hpp"

namespace edgeml::http {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;
using net::awaitable;

namespace {

constexpr auto as_tuple = net::as_tuple(net::use_awaitable);
constexpr size_t kChunkBytes = 64 << 10;
constexpr size_t kLingerBytes = 16 << 20;  // what a refused body may still send us before the socket is closed

std::chrono::steady_clock::duration seconds(double s) {
  return std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(s));
}

long long now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// Each connection is a socket; thousands of idle ones must not hit the default limit of 1024 descriptors.
void raise_descriptor_limit() {
  rlimit r{};
  if (getrlimit(RLIMIT_NOFILE, &r) == 0 && r.rlim_cur < r.rlim_max) {
    r.rlim_cur = r.rlim_max;
    setrlimit(RLIMIT_NOFILE, &r);
  }
}

bool is_body_method(const std::string& m) { return m == "POST" || m == "PUT" || m == "PATCH"; }

// Runs `f` on `pool` and resumes the calling coroutine on its own executor; exceptions propagate.
template <class F>
awaitable<void> on_pool(net::thread_pool& pool, F f) {
  co_await net::co_spawn(
      pool,
      [&]() -> awaitable<void> {
        f();
        co_return;
      },
      net::use_awaitable);
}

}  // namespace

// One accepted connection as the server's registry sees it (for caps, idle eviction and stop()).
struct Connection {
  uint64_t id = 0;
  std::string ip;
  std::atomic<bool> idle{true};
  std::atomic<long long> idle_since_ns{0};
  std::atomic<bool> closing{false};
  std::mutex mu;
  std::function<void()> close_socket;  // posts the close onto the connection's strand
  std::function<void()> wake;          // wakes a streaming response so it sees `closing`

  void close() {
    closing = true;
    std::function<void()> c, w;
    {
      std::lock_guard lock(mu);
      c = close_socket;
      w = wake;
    }
    if (c) c();
    if (w) w();
  }
};

struct Server::Impl {
  ServerOptions opt;
  Router& router;
  RouteMetrics& metrics;
  Authenticator authenticate;
  RequestObserver observer;
  Handler fallback;

  net::io_context ioc;
  std::unique_ptr<net::ssl::context> ssl;
  tcp::acceptor acceptor{ioc};
  net::signal_set signals{ioc};
  net::steady_timer grace{ioc};
  net::thread_pool workers;
  net::thread_pool blocking;

  mutable std::mutex mu;
  std::map<uint64_t, std::shared_ptr<Connection>> conns;
  std::map<std::string, size_t> per_client;
  uint64_t next_id = 1;
  std::atomic<bool> stopping{false};
  std::atomic<unsigned long long> accepted{0}, refused{0}, evicted{0}, header_timeouts{0};

  Impl(ServerOptions o, Router& r, RouteMetrics& m)
      : opt(std::move(o)),
        router(r),
        metrics(m),
        workers(static_cast<size_t>(std::max(1, opt.worker_threads))),
        blocking(static_cast<size_t>(std::max(1, opt.blocking_threads))) {}

  // ---- connections ----------------------------------------------------------------------------------------------
  std::shared_ptr<Connection> admit(const std::string& ip) {
    std::shared_ptr<Connection> victim;
    std::shared_ptr<Connection> c;
    {
      std::lock_guard lock(mu);
      if (per_client[ip] >= opt.max_connections_per_client) return nullptr;
      if (conns.size() >= opt.max_connections) {
        // At the cap, the connection that has waited longest for a request makes room: an idle socket must not
        // keep a client with something to ask from getting in.
        long long oldest = 0;
        for (auto& [id, conn] : conns)
          if (conn->idle && !conn->closing && (!victim || conn->idle_since_ns < oldest)) {
            victim = conn;
            oldest = conn->idle_since_ns;
          }
        if (!victim) return nullptr;
        ++evicted;
      }
      c = std::make_shared<Connection>();
      c->id = next_id++;
      c->ip = ip;
      c->idle_since_ns = now_ns();
      conns[c->id] = c;
      ++per_client[ip];
    }
    if (victim) victim->close();
    return c;
  }

  void release(const std::shared_ptr<Connection>& c) {
    bool drained = false;
    {
      std::lock_guard lock(mu);
      conns.erase(c->id);
      if (--per_client[c->ip] == 0) per_client.erase(c->ip);
      drained = stopping && conns.empty();
    }
    if (drained) net::post(ioc, [this] { grace.cancel(); });
  }

  template <class Stream>
  void attach(Connection& c, const std::shared_ptr<Stream>& s) {
    std::lock_guard lock(c.mu);
    c.close_socket = [w = std::weak_ptr<Stream>(s)] {
      if (auto strong = w.lock())
        net::post(strong->get_executor(), [strong] { beast::get_lowest_layer(*strong).close(); });
    };
  }

  awaitable<void> accept_loop() {
    for (;;) {
      tcp::socket socket(net::make_strand(ioc));
      auto [ec] = co_await acceptor.async_accept(socket, as_tuple);
      if (stopping) co_return;
      if (ec) {
        if (ec == net::error::operation_aborted) co_return;
        // Out of descriptors or similar: wait a little instead of spinning.
        net::steady_timer pause(ioc, std::chrono::milliseconds(50));
        co_await pause.async_wait(as_tuple);
        continue;
      }
      beast::error_code ep_ec;
      auto endpoint = socket.remote_endpoint(ep_ec);
      std::string ip = ep_ec ? "unknown" : endpoint.address().to_string();
      auto conn = admit(ip);
      if (!conn) {
        ++refused;
        socket.close(ep_ec);
        continue;
      }
      ++accepted;
      socket.set_option(tcp::no_delay(true), ep_ec);
      auto executor = socket.get_executor();
      net::co_spawn(executor, run_connection(std::move(socket), conn), net::detached);
    }
  }

  awaitable<void> run_connection(tcp::socket socket, std::shared_ptr<Connection> conn) {
    try {
      if (ssl) {
        auto stream = std::make_shared<beast::ssl_stream<beast::tcp_stream>>(std::move(socket), *ssl);
        attach(*conn, stream);
        beast::get_lowest_layer(*stream).expires_after(seconds(opt.header_timeout_s));
        auto [ec] = co_await stream->async_handshake(net::ssl::stream_base::server, as_tuple);
        if (!ec && !conn->closing) co_await session(stream, conn, true);
        beast::get_lowest_layer(*stream).close();
      } else {
        auto stream = std::make_shared<beast::tcp_stream>(std::move(socket));
        attach(*conn, stream);
        co_await session(stream, conn, false);
        beast::error_code ec;
        stream->socket().shutdown(tcp::socket::shutdown_both, ec);
        stream->close();
      }
    } catch (const std::exception& e) {
      log::error(opt.component, std::string("connection error: ") + e.what());
    }
    release(conn);
  }

  // ---- one connection's requests ------------------------------------------------------------------------------
  template <class Stream>
  awaitable<void> session(std::shared_ptr<Stream> stream, std::shared_ptr<Connection> conn, bool tls) {
    beast::flat_buffer buffer;
    bool first = true;
    while (!conn->closing && !stopping) {
      conn->idle_since_ns = now_ns();
      conn->idle = true;
      bhttp::request_parser<bhttp::empty_body> header;
      header.header_limit(static_cast<std::uint32_t>(opt.max_header_bytes));
      header.body_limit(boost::none);  // the route's own limit is checked once it is known (run_route)
      beast::get_lowest_layer(*stream).expires_after(seconds(first ? opt.header_timeout_s : opt.idle_timeout_s));
      auto [ec, n] = co_await bhttp::async_read_header(*stream, buffer, header, as_tuple);
      conn->idle = false;
      if (ec) {
        if (ec == beast::error::timeout) {
          if (buffer.size() > 0 || first) ++header_timeouts;
        } else if (ec.category() == bhttp::make_error_code(bhttp::error::bad_target).category()) {
          // A malformed request (bad header, two Content-Length values, header too large): say so and close.
          Response res;
          int status = ec == bhttp::error::header_limit ? 431 : 400;
          reply_error(res, status, "malformed HTTP request: " + ec.message(), "request");
          res.close_connection = true;
          co_await write_response(*stream, *conn, res, false);
        }
        co_return;
      }
      first = false;
      bool keep_alive = co_await serve_request(*stream, *conn, buffer, header, tls);
      if (!keep_alive) co_return;
    }
  }

  // Reads the rest of one request, runs its route and writes the answer. Returns whether the connection may serve
  // another request.
  template <class Stream>
  awaitable<bool> serve_request(Stream& stream, Connection& conn, beast::flat_buffer& buffer,
                                bhttp::request_parser<bhttp::empty_body>& header, bool tls) {
    auto t0 = std::chrono::steady_clock::now();
    const auto& h = header.get();
    Request req;
    Response res;
    const Route* route = nullptr;
    bool keep_alive = header.keep_alive();
    const bool chunked = header.chunked();
    const auto length = header.content_length();
    bool body_unread = chunked || (length && *length > 0);
    auto refuse = [&](const Error& e) {
      reply_error(res, e);
      if (body_unread) res.close_connection = true;
    };

    req.remote_ip = conn.ip;
    req.tls = tls;
    req.content_length = length ? std::optional<std::uint64_t>(*length) : std::nullopt;
    std::string label = "unmatched";
    if (!fill_request(h, req)) {
      refuse(FieldError("target", "malformed request target (bad percent-encoding or control characters)"));
    } else if (const auto* enc = req.headers.find("Content-Encoding"); enc && !iequals(trim(*enc), "identity")) {
      refuse(Error(ErrorKind::unsupported_media,
                   "compressed request bodies are not accepted (Content-Encoding: " + *enc + "); send it uncompressed",
                   "Content-Encoding"));
    } else {
      auto m = router.match(req.method, req.path);
      if (m.route) {
        route = m.route;
        label = route->options.pattern;
        req.params = std::move(m.params);
      } else if (!m.allowed_methods.empty()) {
        refuse(Error(ErrorKind::method_not_allowed, req.method + " is not allowed on " + req.path, "method"));
        res.set_header("Allow", m.allowed_methods);
      } else if (fallback && (req.method == "GET" || req.method == "HEAD") && !body_unread) {
        label = "static";
        co_await on_pool(workers, [&] { run_guarded(opt.component, res, [&] { fallback(req, res); }); });
      } else {
        refuse(NotFoundError("no such endpoint: " + req.method + " " + req.path));
      }
    }

    if (route) co_await run_route(stream, conn, buffer, header, *route, req, res, body_unread);

    if (res.close_connection || !keep_alive || stopping || conn.closing) keep_alive = false;
    if (observer) {
      try {
        observer(req, res, route ? &route->options : nullptr);
      } catch (const std::exception& e) {
        log::error(opt.component, std::string("request observer failed: ") + e.what());
      }
    }
    double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    metrics.record(req.method.empty() ? "?" : req.method, label, res.status, elapsed);

    bool ok = co_await write_response(stream, conn, res, keep_alive);
    if (!ok) co_return false;
    if (res.close_connection && body_unread) co_await linger_close(stream);
    co_return keep_alive;
  }

  // Authentication, body, handler.
  template <class Stream>
  awaitable<void> run_route(Stream& stream, Connection& conn, beast::flat_buffer& buffer,
                            bhttp::request_parser<bhttp::empty_body>& header, const Route& route, Request& req,
                            Response& res, bool& body_unread) {
    const RouteOptions& o = route.options;
    auto refuse = [&](const Error& e) {
      reply_error(res, e);
      if (body_unread) res.close_connection = true;
    };
    // Who is asking, before any body is read: an upload from someone without the role is never taken in.
    bool allowed = false;
    co_await on_pool(workers, [&] {
      try {
        if (authenticate) {
          req.identity = authenticate(req);
        } else {  // no authentication configured: every caller is local (a service bound to loopback)
          req.identity.authenticated = true;
          req.identity.role = Role::admin;
          req.identity.name = "local";
          req.identity.method = "local";
        }
        if (allows(o.role, req.identity)) {
          allowed = true;
        } else if (!req.identity.authenticated) {
          refuse(Error(ErrorKind::unauthorized, "this needs credentials: Authorization: Bearer <token> or a login",
                       "Authorization"));
          res.set_header("WWW-Authenticate", "Bearer");
        } else {
          refuse(Error(ErrorKind::forbidden,
                       std::string("'") + req.identity.name + "' has role " + to_string(req.identity.role) +
                           "; this needs " + to_string(o.role),
                       "Authorization"));
        }
      } catch (const Error& e) {
        refuse(e);
        if (e.kind() == ErrorKind::unauthorized) res.set_header("WWW-Authenticate", "Bearer");
      }
    });
    if (!allowed) co_return;

    const bool chunked = header.chunked();
    const auto length = header.content_length();
    const size_t limit = o.body == Body::none ? opt.max_ignored_body_bytes : o.max_body_bytes;
    if (o.body != Body::none && !o.body_optional && is_body_method(req.method) && !length && !chunked) {
      refuse(Error(ErrorKind::length_required,
                   "a " + req.method + " to " + o.pattern + " needs a body with a Content-Length header",
                   "Content-Length"));
      co_return;
    }
    if (o.body == Body::stream && chunked) {
      refuse(Error(ErrorKind::length_required, "send a Content-Length (chunked uploads are not accepted)",
                   "Content-Length"));
      co_return;
    }
    if (length && *length > limit) {
      refuse(Error(ErrorKind::too_large,
                   "request body of " + std::to_string(*length) + " bytes is over the limit of " +
                       std::to_string(limit) + " bytes for " + o.pattern,
                   "body"));
      co_return;
    }
    if (body_unread && iequals(req.header("Expect"), "100-continue")) {
      bhttp::response<bhttp::empty_body> cont{bhttp::status::continue_, 11};
      beast::get_lowest_layer(stream).expires_after(seconds(opt.write_timeout_s));
      auto [ec, n] = co_await bhttp::async_write(stream, cont, as_tuple);
      if (ec) {
        res.close_connection = true;
        co_return;
      }
    }

    std::unique_ptr<BodySink> sink;
    if (o.body == Body::stream) {
      bool opened = false;
      co_await on_pool(workers, [&] {
        run_guarded(opt.component, res, [&] {
          sink = o.open_sink(req);
          opened = true;
        });
      });
      if (!opened) {
        if (body_unread) res.close_connection = true;
        co_return;
      }
      bool complete = co_await read_streamed_body(stream, buffer, header, *sink, limit, res);
      if (!complete) co_return;
      body_unread = false;
      req.sink = sink.get();
    } else if (body_unread) {
      std::string body;
      bool complete = co_await read_buffered_body(stream, buffer, header, limit, body, res);
      if (!complete) co_return;
      body_unread = false;
      if (o.body != Body::none) req.body = std::move(body);
    }

    co_await on_pool(o.blocking ? blocking : workers,
                     [&] { run_guarded(opt.component, res, [&] { route.handler(req, res); }); });
  }

  template <class Stream>
  awaitable<bool> read_buffered_body(Stream& stream, beast::flat_buffer& buffer,
                                     bhttp::request_parser<bhttp::empty_body>& header, size_t limit, std::string& out,
                                     Response& res) {
    bhttp::request_parser<bhttp::string_body> parser{std::move(header)};
    parser.body_limit(limit);
    while (!parser.is_done()) {
      beast::get_lowest_layer(stream).expires_after(seconds(opt.body_chunk_timeout_s));
      auto [ec, n] = co_await bhttp::async_read_some(stream, buffer, parser, as_tuple);
      if (ec) {
        if (ec == bhttp::error::body_limit) {
          reply_error(res, Error(ErrorKind::too_large,
                                 "request body is over the limit of " + std::to_string(limit) + " bytes", "body"));
        } else {
          reply_error(res, 400, "request body incomplete or malformed: " + ec.message(), "body");
        }
        res.close_connection = true;
        co_return false;
      }
    }
    out = std::move(parser.get().body());
    co_return true;
  }

  template <class Stream>
  awaitable<bool> read_streamed_body(Stream& stream, beast::flat_buffer& buffer,
                                     bhttp::request_parser<bhttp::empty_body>& header, BodySink& sink, size_t limit,
                                     Response& res) {
    bhttp::request_parser<bhttp::buffer_body> parser{std::move(header)};
    parser.body_limit(limit);
    std::vector<char> chunk(kChunkBytes);
    while (!parser.is_done()) {
      parser.get().body().data = chunk.data();
      parser.get().body().size = chunk.size();
      beast::get_lowest_layer(stream).expires_after(seconds(opt.body_chunk_timeout_s));
      auto [ec, n] = co_await bhttp::async_read_some(stream, buffer, parser, as_tuple);
      if (ec == bhttp::error::need_buffer) ec = {};
      if (ec) {
        reply_error(res, 400, "request body incomplete: " + ec.message(), "body");
        res.close_connection = true;
        co_return false;
      }
      size_t got = chunk.size() - parser.get().body().size;
      if (got == 0) continue;
      bool written = false;
      co_await on_pool(workers, [&] {
        run_guarded(opt.component, res, [&] {
          sink.write(chunk.data(), got);
          written = true;
        });
      });
      if (!written) {
        res.close_connection = true;
        co_return false;
      }
    }
    co_return true;
  }

  // ---- answers ------------------------------------------------------------------------------------------------
  template <class Stream>
  awaitable<bool> write_response(Stream& stream, Connection& conn, Response& res, bool keep_alive) {
    if (res.stream) co_return co_await write_stream(stream, conn, res, keep_alive);
    if (res.file) co_return co_await write_file(stream, res, keep_alive);
    co_return co_await write_string(stream, res, keep_alive);
  }

  template <class Stream>
  awaitable<bool> write_string(Stream& stream, Response& res, bool keep_alive) {
    bhttp::response<bhttp::string_body> r;
    r.version(11);
    r.result(static_cast<unsigned>(res.status));
    for (const auto& [k, v] : res.headers) r.insert(k, v);
    if (!res.body.empty() && !res.headers.has("Content-Type")) r.set(bhttp::field::content_type, "application/json");
    r.body() = std::move(res.body);
    r.keep_alive(keep_alive);
    r.prepare_payload();
    beast::get_lowest_layer(stream).expires_after(seconds(opt.write_timeout_s));
    auto [ec, n] = co_await bhttp::async_write(stream, r, as_tuple);
    co_return !ec;
  }

  template <class Stream>
  awaitable<bool> write_file(Stream& stream, Response& res, bool keep_alive) {
    const FileBody& f = *res.file;
    std::FILE* in = std::fopen(f.path.c_str(), "rb");
    if (!in || std::fseek(in, static_cast<long>(f.offset), SEEK_SET) != 0) {
      if (in) std::fclose(in);
      Response err;
      reply_error(err, 500, "could not read " + f.path.filename().string());
      co_await write_string(stream, err, false);
      co_return false;
    }
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(in, &std::fclose);
    bhttp::response<bhttp::buffer_body> r;
    r.version(11);
    r.result(static_cast<unsigned>(res.status));
    for (const auto& [k, v] : res.headers) r.insert(k, v);
    r.content_length(f.length);
    r.keep_alive(keep_alive);
    r.body().data = nullptr;
    r.body().more = true;
    bhttp::response_serializer<bhttp::buffer_body> sr{r};
    beast::get_lowest_layer(stream).expires_after(seconds(opt.write_timeout_s));
    auto [hec, hn] = co_await bhttp::async_write_header(stream, sr, as_tuple);
    if (hec) co_return false;
    std::vector<char> chunk(kChunkBytes);
    std::uint64_t left = f.length;
    while (left > 0) {
      size_t want = static_cast<size_t>(std::min<std::uint64_t>(left, chunk.size()));
      size_t got = std::fread(chunk.data(), 1, want, file.get());
      if (got == 0) co_return false;  // the file shrank under us: the client sees a short body and retries
      left -= got;
      r.body().data = chunk.data();
      r.body().size = got;
      r.body().more = left > 0;
      beast::get_lowest_layer(stream).expires_after(seconds(opt.write_timeout_s));
      auto [ec, n] = co_await bhttp::async_write(stream, sr, as_tuple);
      if (ec == bhttp::error::need_buffer) ec = {};
      if (ec) co_return false;
    }
    if (!sr.is_done()) {
      r.body().data = nullptr;
      r.body().size = 0;
      r.body().more = false;
      auto [ec, n] = co_await bhttp::async_write(stream, sr, as_tuple);
      if (ec && ec != bhttp::error::need_buffer) co_return false;
    }
    co_return true;
  }

  template <class Stream>
  awaitable<bool> write_stream(Stream& stream, Connection& conn, Response& res, bool keep_alive) {
    auto channel = res.stream;
    struct Finish {
      StreamChannel& c;
      Connection& conn;
      ~Finish() {
        {
          std::lock_guard lock(conn.mu);
          conn.wake = nullptr;
        }
        c.finished();
      }
    } finish{*channel, conn};
    bhttp::response<bhttp::empty_body> r;
    r.version(11);
    r.result(static_cast<unsigned>(res.status));
    for (const auto& [k, v] : res.headers) r.insert(k, v);
    r.set(bhttp::field::content_type, channel->content_type());
    r.set(bhttp::field::cache_control, "no-cache");
    r.set("X-Accel-Buffering", "no");
    r.chunked(true);
    r.keep_alive(keep_alive);
    bhttp::response_serializer<bhttp::empty_body> sr{r};
    beast::get_lowest_layer(stream).expires_after(seconds(opt.write_timeout_s));
    auto [hec, hn] = co_await bhttp::async_write_header(stream, sr, as_tuple);
    if (hec) co_return false;

    auto timer = std::make_shared<net::steady_timer>(stream.get_executor());
    auto wake = [executor = stream.get_executor(), weak = std::weak_ptr<net::steady_timer>(timer)] {
      net::post(executor, [weak] {
        if (auto t = weak.lock()) t->cancel();
      });
    };
    channel->set_waker(wake);
    {
      std::lock_guard lock(conn.mu);
      conn.wake = wake;
    }
    bool heartbeat_due = false;
    for (;;) {
      std::string out;
      bool ended = false;
      channel->take(out, ended);
      if (out.empty() && heartbeat_due && !ended) out = channel->heartbeat();
      heartbeat_due = false;
      if (!out.empty()) {
        beast::get_lowest_layer(stream).expires_after(seconds(opt.write_timeout_s));
        auto [ec, n] = co_await net::async_write(stream, bhttp::make_chunk(net::buffer(out)), as_tuple);
        if (ec) co_return false;
      }
      if (ended) {
        beast::get_lowest_layer(stream).expires_after(seconds(opt.write_timeout_s));
        auto [ec, n] = co_await net::async_write(stream, bhttp::make_chunk_last(), as_tuple);
        co_return !ec;
      }
      if (conn.closing || stopping) co_return false;
      timer->expires_after(seconds(channel->heartbeat_s()));
      auto [ec] = co_await timer->async_wait(as_tuple);
      if (!ec) heartbeat_due = true;
    }
  }

  // After refusing a body we did not read: stop sending, take in (and drop) what the client still sends for a short
  // while, then close. Closing at once would reset the connection and the client might never see our answer.
  template <class Stream>
  awaitable<void> linger_close(Stream& stream) {
    beast::error_code ec;
    beast::get_lowest_layer(stream).socket().shutdown(tcp::socket::shutdown_send, ec);
    std::vector<char> sink(16 << 10);
    size_t drained = 0;
    beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(2));
    while (drained < kLingerBytes) {
      auto [rec, n] = co_await beast::get_lowest_layer(stream).async_read_some(net::buffer(sink), as_tuple);
      if (rec) break;
      drained += n;
    }
  }

  static bool fill_request(const bhttp::request<bhttp::empty_body>& h, Request& req) {
    req.method = std::string(h.method_string());
    req.target = std::string(h.target());
    auto q = req.target.find('?');
    req.raw_path = req.target.substr(0, q);
    auto path = percent_decode(req.raw_path, false);
    if (!path) return false;
    req.path = std::move(*path);  // may hold an encoded control character: routes validate their segments
    if (q != std::string::npos) {
      auto query = parse_query(std::string_view(req.target).substr(q + 1));
      if (!query) return false;
      req.query = std::move(*query);
    }
    try {
      for (const auto& f : h) req.headers.add(std::string(f.name_string()), std::string(f.value()));
    } catch (const Error&) {
      return false;
    }
    return true;
  }

  void begin_stop() {
    if (stopping.exchange(true)) return;
    beast::error_code ec;
    acceptor.close(ec);
    signals.cancel(ec);
    std::vector<std::shared_ptr<Connection>> open;
    {
      std::lock_guard lock(mu);
      for (auto& [id, c] : conns) open.push_back(c);
    }
    for (auto& c : open) c->close();
    if (open.empty()) return;
    // Handlers still running (a deploy waiting for its agent) are not waited for beyond a short grace period.
    grace.expires_after(std::chrono::seconds(3));
    grace.async_wait([this](beast::error_code) { ioc.stop(); });
  }
};

Server::Server(ServerOptions options, Router& router, RouteMetrics& metrics)
    : impl_(std::make_unique<Impl>(std::move(options), router, metrics)) {
  const auto& o = impl_->opt;
  if (o.tls_cert_file.empty() != o.tls_key_file.empty())
    throw FieldError(o.tls_cert_file.empty() ? "--tls-cert" : "--tls-key", "TLS needs both a certificate and a key");
  if (!o.tls_cert_file.empty()) {
    impl_->ssl = std::make_unique<net::ssl::context>(net::ssl::context::tls_server);
    impl_->ssl->set_options(net::ssl::context::default_workarounds | net::ssl::context::no_sslv2 |
                            net::ssl::context::no_sslv3 | net::ssl::context::no_tlsv1 | net::ssl::context::no_tlsv1_1);
    try {
      impl_->ssl->use_certificate_chain_file(o.tls_cert_file);
    } catch (const std::exception& e) {
      throw FieldError("--tls-cert", "cannot use certificate " + o.tls_cert_file + ": " + e.what());
    }
    try {
      impl_->ssl->use_private_key_file(o.tls_key_file, net::ssl::context::pem);
    } catch (const std::exception& e) {
      throw FieldError("--tls-key", "cannot use key " + o.tls_key_file + ": " + e.what());
    }
  }
}

Server::~Server() {
  stop();
  impl_->workers.join();
  impl_->blocking.join();
}

void Server::set_authenticator(Authenticator auth) { impl_->authenticate = std::move(auth); }
void Server::set_observer(RequestObserver observer) { impl_->observer = std::move(observer); }
void Server::set_fallback(Handler handler) { impl_->fallback = std::move(handler); }

int Server::bind() {
  raise_descriptor_limit();
  auto& o = impl_->opt;
  beast::error_code ec;
  auto address = net::ip::make_address(o.host == "localhost" ? "127.0.0.1" : o.host, ec);
  if (ec) throw FieldError("host", "'" + o.host + "' is not an IP address to listen on");
  tcp::endpoint endpoint(address, static_cast<unsigned short>(o.port));
  auto& a = impl_->acceptor;
  a.open(endpoint.protocol(), ec);
  if (!ec) a.set_option(net::socket_base::reuse_address(true), ec);  // TIME_WAIT only; never SO_REUSEPORT
  if (!ec) a.bind(endpoint, ec);
  if (ec) {
    std::string why = ec == net::error::address_in_use ? "it is already in use (is another edgeml " + o.component +
                                                             " running? stop it or use --port)"
                                                       : ec.message();
    throw Error(ErrorKind::unavailable, "cannot listen on " + o.host + ":" + std::to_string(o.port) + ": " + why,
                "port");
  }
  a.listen(net::socket_base::max_listen_connections, ec);
  if (ec) throw Error(ErrorKind::unavailable, "cannot listen on " + o.host + ": " + ec.message(), "port");
  return a.local_endpoint().port();
}

void Server::run() {
  auto& im = *impl_;
  net::co_spawn(im.ioc, im.accept_loop(), net::detached);
  std::vector<std::thread> extra;
  for (int i = 1; i < im.opt.io_threads; ++i) extra.emplace_back([&im] { im.ioc.run(); });
  im.ioc.run();
  for (auto& t : extra) t.join();
}

void Server::stop() {
  net::post(impl_->ioc, [im = impl_.get()] { im->begin_stop(); });
}

void Server::stop_on_signals() {
  impl_->signals.add(SIGINT);
  impl_->signals.add(SIGTERM);
  impl_->signals.async_wait([im = impl_.get()](const beast::error_code& ec, int) {
    if (!ec) im->begin_stop();
  });
}

Server::Stats Server::stats() const {
  Stats s;
  {
    std::lock_guard lock(impl_->mu);
    s.open_connections = impl_->conns.size();
  }
  s.accepted = impl_->accepted;
  s.refused_per_client = impl_->refused;
  s.evicted_idle = impl_->evicted;
  s.header_timeouts = impl_->header_timeouts;
  return s;
}

std::string Server::prometheus_text() const {
  auto s = stats();
  const std::string p = "edgeml_" + impl_->opt.component + "_http_";
  std::string out;
  out += "# HELP " + p + "connections_open Connections open now.\n# TYPE " + p + "connections_open gauge\n";
  out += p + "connections_open " + std::to_string(s.open_connections) + "\n";
  auto counter = [&](const std::string& name, const std::string& help, unsigned long long v) {
    out += "# HELP " + p + name + " " + help + "\n# TYPE " + p + name + " counter\n";
    out += p + name + " " + std::to_string(v) + "\n";
  };
  counter("connections_accepted_total", "Connections accepted.", s.accepted);
  counter("connections_refused_total", "Connections refused: the client already had its maximum open.",
          s.refused_per_client);
  counter("connections_evicted_total", "Idle connections closed to make room at the connection cap.", s.evicted_idle);
  counter("header_timeouts_total", "Connections closed because a request header did not arrive in time.",
          s.header_timeouts);
  return out;
}

}  // namespace edgeml::http
