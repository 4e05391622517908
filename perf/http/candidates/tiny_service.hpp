#pragma once
// The one tiny service every candidate server exposes, written once so the comparison measures the servers, not
// three versions of the handlers (the same separation the product needs: routes independent of the HTTP library).
//   GET  /healthz   -> {"status":"ok"}
//   POST /api/echo  -> parses a JSON body, answers {"echo": <body>, "body_bytes": n}; 400 when it is not JSON
//   GET  /events    -> text/event-stream, one event per second
#include <string>
#include <string_view>

namespace edgeml::perf::candidates {

// The limits every candidate applies, so none wins by being laxer.
struct CandidateLimits {
  int port = 0;                   // 0 = any free port (printed on stdout)
  int threads = 2;                // event loop threads (cpp-httplib: its worker pool, 16 like the product)
  double header_deadline_s = 10;  // a request's header must be complete this long after the server starts waiting
  size_t max_body_bytes = 1 << 20;
  double write_deadline_s = 30;
  double event_interval_s = 1;
};

// --port N --threads N; throws edgeml::FieldError on a bad flag.
CandidateLimits parse_candidate_flags(int argc, char** argv, int default_threads);

struct Answer {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
};

Answer healthz();
Answer echo(std::string_view body);
Answer not_found(std::string_view method, std::string_view path);
Answer body_too_large(size_t limit);

// "id: 7\nevent: tick\ndata: {\"seq\":7}\n\n"
std::string sse_event(long long seq);

// The line scripts wait for: "listening on http://127.0.0.1:PORT" (stdout, flushed).
void announce(const char* candidate, int port, int threads);

}  // namespace edgeml::perf::candidates
