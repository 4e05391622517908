// Candidate (b): Boost.Beast over Asio (Debian libboost1.81-dev, header-only) with C++20 coroutines. One io_context
// run by 2 threads; each connection is a coroutine on its own strand, so a connection that waits (idle, slowloris,
// open event stream) costs a few KiB and no thread. Limits: the header of each request must be complete 10 s after
// the server starts waiting for it (covers idle sockets and slowloris alike), body within 10 s and at most 1 MiB,
// writes within 30 s (a reader that stops reading is dropped). Handlers run inline on the loop.
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <csignal>
#include <iostream>
#include <thread>
#include <vector>

#include "common/error.hpp"
#include "tiny_service.hpp"

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using namespace edgeml::perf::candidates;
using seconds_d = std::chrono::duration<double>;

std::chrono::steady_clock::duration to_duration(double s) {
  return std::chrono::duration_cast<std::chrono::steady_clock::duration>(seconds_d(s));
}

http::response<http::string_body> to_response(const Answer& a, unsigned version, bool keep_alive) {
  http::response<http::string_body> res{static_cast<http::status>(a.status), version};
  res.set(http::field::content_type, a.content_type);
  res.keep_alive(keep_alive);
  res.body() = a.body;
  res.prepare_payload();
  return res;
}

// Chunked text/event-stream, one event per interval, until a write fails (the client went away or stopped reading).
asio::awaitable<void> stream_events(beast::tcp_stream& stream, unsigned version, const CandidateLimits& limits) {
  http::response<http::empty_body> res{http::status::ok, version};
  res.set(http::field::content_type, "text/event-stream");
  res.set(http::field::cache_control, "no-cache");
  res.chunked(true);
  http::response_serializer<http::empty_body> head{res};
  beast::error_code ec;
  stream.expires_after(to_duration(limits.write_deadline_s));
  co_await http::async_write_header(stream, head, asio::redirect_error(asio::use_awaitable, ec));
  asio::steady_timer timer(co_await asio::this_coro::executor);
  for (long long seq = 1; !ec; ++seq) {
    std::string ev = sse_event(seq);
    stream.expires_after(to_duration(limits.write_deadline_s));
    co_await asio::async_write(stream, http::make_chunk(asio::buffer(ev)),
                               asio::redirect_error(asio::use_awaitable, ec));
    if (ec) break;
    stream.expires_never();
    timer.expires_after(to_duration(limits.event_interval_s));
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
}

asio::awaitable<void> session(tcp::socket socket, const CandidateLimits& limits) {
  beast::tcp_stream stream(std::move(socket));
  beast::flat_buffer buffer;
  beast::error_code ec;
  for (;;) {
    http::request_parser<http::string_body> parser;
    parser.header_limit(16 * 1024);
    parser.body_limit(limits.max_body_bytes);
    stream.expires_after(to_duration(limits.header_deadline_s));
    co_await http::async_read_header(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
    if (!ec && !parser.is_done()) {
      stream.expires_after(to_duration(limits.header_deadline_s));
      co_await http::async_read(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
    }
    // A declared Content-Length over the limit fails at the header, a chunked body once it grows past it.
    if (ec == http::error::body_limit) {
      auto res = to_response(body_too_large(limits.max_body_bytes), parser.get().version(), false);
      stream.expires_after(to_duration(limits.write_deadline_s));
      co_await http::async_write(stream, res, asio::redirect_error(asio::use_awaitable, ec));
      break;
    }
    if (ec) break;  // deadline (tcp_stream closed the socket), client gone, or a malformed request
    auto& req = parser.get();
    std::string_view target(req.target().data(), req.target().size());
    Answer answer;
    if (req.method() == http::verb::get && target == "/events") {
      co_await stream_events(stream, req.version(), limits);
      break;
    } else if (req.method() == http::verb::get && target == "/healthz") {
      answer = healthz();
    } else if (req.method() == http::verb::post && target == "/api/echo") {
      answer = echo(req.body());
    } else {
      answer = not_found(std::string_view(req.method_string().data(), req.method_string().size()), target);
    }
    bool keep_alive = req.keep_alive();
    auto res = to_response(answer, req.version(), keep_alive);
    stream.expires_after(to_duration(limits.write_deadline_s));
    co_await http::async_write(stream, res, asio::redirect_error(asio::use_awaitable, ec));
    if (ec || !keep_alive) break;
  }
  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
}

asio::awaitable<void> accept_loop(tcp::acceptor& acceptor, asio::io_context& io, const CandidateLimits& limits) {
  for (;;) {
    beast::error_code ec;
    // Each connection gets its own strand: its coroutine never runs on two threads at once.
    tcp::socket socket =
        co_await acceptor.async_accept(asio::make_strand(io), asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      // Out of descriptors (EMFILE) and the like: wait a little instead of spinning; the backlog keeps the clients.
      asio::steady_timer pause(io, std::chrono::milliseconds(50));
      co_await pause.async_wait(asio::use_awaitable);
      continue;
    }
    socket.set_option(tcp::no_delay(true), ec);
    auto executor = socket.get_executor();
    asio::co_spawn(executor, session(std::move(socket), limits), asio::detached);
  }
}

}  // namespace

int main(int argc, char** argv) {
  CandidateLimits limits;
  try {
    limits = parse_candidate_flags(argc, argv, 2);
  } catch (const edgeml::Error& e) {
    std::cerr << "candidate_beast: " << e.what() << std::endl;
    return 2;
  }
  std::signal(SIGPIPE, SIG_IGN);
  asio::io_context io(limits.threads);
  tcp::acceptor acceptor(io);
  try {
    tcp::endpoint at(asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(limits.port));
    acceptor.open(at.protocol());
    acceptor.set_option(tcp::acceptor::reuse_address(true));
    acceptor.bind(at);
    acceptor.listen(asio::socket_base::max_listen_connections);
  } catch (const std::exception& e) {
    std::cerr << "candidate_beast: cannot listen on 127.0.0.1:" << limits.port << ": " << e.what() << std::endl;
    return 1;
  }
  asio::signal_set stop(io, SIGINT, SIGTERM);
  stop.async_wait([&](auto, auto) { io.stop(); });
  asio::co_spawn(io, accept_loop(acceptor, io, limits), asio::detached);
  announce("candidate_beast", acceptor.local_endpoint().port(), limits.threads);
  std::vector<std::thread> pool;
  for (int i = 1; i < limits.threads; ++i) pool.emplace_back([&io] { io.run(); });
  io.run();
  for (auto& t : pool) t.join();
  return 0;
}
