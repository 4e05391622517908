// Candidate (c): RESTinio 0.6 (Debian librestinio-dev, header-only; here over Boost.Asio, since Debian's package
// expects a stand-alone Asio that is a separate package). Express router, thread pool of 2 on one io_context.
// Limits: next request's header within 10 s (read_next_http_message_timelimit), body at most 1 MiB
// (incoming_http_msg_limits), writes within 30 s. Event streams are chunked responses fed by a timer.
#include <chrono>
#include <csignal>
#include <iostream>
#include <memory>
#include <restinio/all.hpp>

#include "common/error.hpp"
#include "tiny_service.hpp"

namespace {

using namespace edgeml::perf::candidates;
using Router = restinio::router::express_router_t<>;
using Traits = restinio::traits_t<restinio::asio_timer_manager_t, restinio::null_logger_t, Router>;
namespace asio = restinio::asio_ns;

std::chrono::steady_clock::duration to_duration(double s) {
  return std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(s));
}

restinio::request_handling_status_t reply(const restinio::request_handle_t& req, const Answer& a) {
  return req
      ->create_response(
          restinio::http_status_line_t{restinio::http_status_code_t{static_cast<std::uint16_t>(a.status)}, ""})
      .append_header(restinio::http_field::content_type, a.content_type)
      .set_body(a.body)
      .done();
}

// One open event stream: a timer on the server's io_context appends one chunk per interval until a write fails.
class EventStream : public std::enable_shared_from_this<EventStream> {
 public:
  EventStream(asio::io_context& io, restinio::response_builder_t<restinio::chunked_output_t> response,
              double interval_s)
      : timer_(asio::make_strand(io)), response_(std::move(response)), interval_(to_duration(interval_s)) {}

  void start() {
    response_.append_header(restinio::http_field::content_type, "text/event-stream")
        .append_header(restinio::http_field::cache_control, "no-cache");
    send_next();
  }

 private:
  void send_next() {
    response_.append_chunk(sse_event(++seq_));
    response_.flush([self = shared_from_this()](const asio::error_code& ec) {
      if (ec) return;  // the client went away: let the stream (and its timer) go
      self->timer_.expires_after(self->interval_);
      self->timer_.async_wait([self](const asio::error_code& wait_ec) {
        if (!wait_ec) self->send_next();
      });
    });
  }

  asio::steady_timer timer_;
  restinio::response_builder_t<restinio::chunked_output_t> response_;
  std::chrono::steady_clock::duration interval_;
  long long seq_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
  CandidateLimits limits;
  try {
    limits = parse_candidate_flags(argc, argv, 2);
  } catch (const edgeml::Error& e) {
    std::cerr << "candidate_restinio: " << e.what() << std::endl;
    return 2;
  }
  std::signal(SIGPIPE, SIG_IGN);
  asio::io_context io;
  auto router = std::make_unique<Router>();
  router->http_get("/healthz", [](auto req, auto) { return reply(req, healthz()); });
  router->http_post("/api/echo", [](auto req, auto) { return reply(req, echo(req->body())); });
  router->http_get("/events", [&io, &limits](auto req, auto) {
    auto stream = std::make_shared<EventStream>(io, req->template create_response<restinio::chunked_output_t>(),
                                                limits.event_interval_s);
    stream->start();
    return restinio::request_accepted();
  });
  router->non_matched_request_handler([](const restinio::request_handle_t& req) {
    return reply(req, not_found(req->header().method().c_str(), req->header().path()));
  });

  try {
    restinio::run(
        io, restinio::on_thread_pool<Traits>(static_cast<std::size_t>(limits.threads))
                .address("127.0.0.1")
                .port(static_cast<std::uint16_t>(limits.port))
                .read_next_http_message_timelimit(to_duration(limits.header_deadline_s))
                .write_http_response_timelimit(to_duration(limits.write_deadline_s))
                .incoming_http_msg_limits(restinio::incoming_http_msg_limits_t{}.max_body_size(limits.max_body_bytes))
                .acceptor_post_bind_hook([&limits](asio::ip::tcp::acceptor& acceptor) {
                  announce("candidate_restinio", acceptor.local_endpoint().port(), limits.threads);
                })
                .request_handler(std::move(router)));
  } catch (const std::exception& e) {
    std::cerr << "candidate_restinio: " << e.what() << std::endl;
    return 1;
  }
  return 0;
}
