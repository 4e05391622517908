// Candidate (a): cpp-httplib 0.11 (Debian) configured as src/http/server.cpp configure_server does today: a fixed pool
// of 16 workers, each connection holding one worker for its whole life (keep-alive 2 s, read timeout 10 s per read,
// body limit 1 MiB, nodelay). Settings copied, not linked, so this baseline survives the HTTP layer's rewrite.
#include <httplib.h>

#include <chrono>
#include <csignal>
#include <iostream>
#include <thread>

#include "common/error.hpp"
#include "tiny_service.hpp"

namespace {

using namespace edgeml::perf::candidates;

void reply(httplib::Response& res, const Answer& a) {
  res.status = a.status;
  res.set_content(a.body, a.content_type.c_str());
}

}  // namespace

int main(int argc, char** argv) {
  CandidateLimits limits;
  try {
    limits = parse_candidate_flags(argc, argv, 16);
  } catch (const edgeml::Error& e) {
    std::cerr << "candidate_httplib: " << e.what() << std::endl;
    return 2;
  }
  std::signal(SIGPIPE, SIG_IGN);
  httplib::Server server;
  server.set_tcp_nodelay(true);
  const size_t threads = static_cast<size_t>(limits.threads);
  server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  server.set_payload_max_length(limits.max_body_bytes);
  server.set_keep_alive_timeout(2);
  server.set_keep_alive_max_count(1000);
  server.set_read_timeout(static_cast<time_t>(limits.header_deadline_s), 0);
  server.set_write_timeout(static_cast<time_t>(limits.write_deadline_s), 0);

  server.Get("/healthz", [](const httplib::Request&, httplib::Response& res) { reply(res, healthz()); });
  server.Post("/api/echo", [](const httplib::Request& req, httplib::Response& res) { reply(res, echo(req.body)); });
  server.Get("/events", [&limits](const httplib::Request&, httplib::Response& res) {
    res.set_header("Cache-Control", "no-cache");
    auto seq = std::make_shared<long long>(0);
    auto interval = std::chrono::duration<double>(limits.event_interval_s);
    // The provider runs on the connection's worker until the client goes: a stream holds a worker.
    res.set_chunked_content_provider("text/event-stream", [seq, interval](size_t, httplib::DataSink& sink) {
      if (*seq > 0) std::this_thread::sleep_for(interval);
      std::string ev = sse_event(++*seq);
      return sink.write(ev.data(), ev.size());
    });
  });
  server.set_error_handler([&limits](const httplib::Request& req, httplib::Response& res) {
    if (res.status == 413) reply(res, body_too_large(limits.max_body_bytes));
    if (res.status == 404) reply(res, not_found(req.method, req.path));
  });

  int port = limits.port == 0 ? server.bind_to_any_port("127.0.0.1") : limits.port;
  if (limits.port != 0 && !server.bind_to_port("127.0.0.1", limits.port)) port = -1;
  if (port <= 0) {
    std::cerr << "candidate_httplib: cannot listen on 127.0.0.1:" << limits.port << std::endl;
    return 1;
  }
  announce("candidate_httplib", port, limits.threads);
  server.listen_after_bind();
  return 0;
}
