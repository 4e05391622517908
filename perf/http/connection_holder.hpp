#pragma once
// Holds the hostile connections of hold_load open on one thread (epoll): idle sockets, slowloris clients and open
// event streams. Whatever the server closes is counted and opened again, so the load stays constant while the
// probe and wrk run. Destination is always 127.0.0.1; sources may be spread over 127.0.0.2.. to look like many clients.
#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace edgeml::perf {

enum class HoldKind { idle, slowloris, stream };
const char* to_string(HoldKind kind);

struct HoldPlan {
  int port = 0;
  int idle = 0;
  int slowloris = 0;
  int streams = 0;
  int sources = 1;  // 1: no bind (127.0.0.1); K > 1: connection i of a group binds 127.0.0.(2 + i % K)
  double slowloris_interval_s = 3;
  double connect_timeout_s = 10;
  std::string slowloris_path = "/healthz";
  std::string stream_path = "/events";
};

// Counters of one group since the start. Durations in seconds.
struct GroupStats {
  HoldKind kind = HoldKind::idle;
  int wanted = 0;
  int open_now = 0;                         // established and not closed
  int ever_established = 0;                 // distinct slots that got established at least once
  long long connects = 0;                   // successful connects, reconnects included
  long long connect_failures = 0;           // refused, reset or not established within connect_timeout_s
  long long closed_by_server = 0;           // EOF or reset after being established
  std::vector<double> held_before_close_s;  // for each server close: how long the connection had been open
  double oldest_open_s = 0;                 // age of the longest-open connection at the snapshot
  std::map<int, long long> statuses;        // HTTP status codes the server sent on these connections
  long long bytes_received = 0;
  long long sse_events = 0;      // "data:" lines received on streams (one per event of the services we test)
  long long sse_comments = 0;    // ":" lines (keep-alive comments)
  int streams_answered_200 = 0;  // open streams whose status line was 200
};

class ConnectionHolder {
 public:
  explicit ConnectionHolder(HoldPlan plan);
  ~ConnectionHolder();
  ConnectionHolder(const ConnectionHolder&) = delete;
  ConnectionHolder& operator=(const ConnectionHolder&) = delete;

  void start();
  void stop();
  // True once every slot has been established at least once or has failed to connect; false on timeout.
  bool wait_until_all_tried(double timeout_s);
  std::vector<GroupStats> snapshot() const;

 private:
  struct Conn;
  void run();
  void open(Conn& c, double now);
  void on_events(Conn& c, unsigned events, double now);
  void on_connected(Conn& c, double now);
  void on_readable(Conn& c, double now);
  static void count_sse_lines(Conn& c, GroupStats& g, const char* buf, size_t n);
  void drop(Conn& c, double now, bool by_server, bool connect_failed);
  void tick(double now);
  GroupStats& group(HoldKind kind);

  HoldPlan plan_;
  std::string slowloris_bytes_;  // the first part of the never-ending header
  std::string stream_request_;
  std::vector<std::unique_ptr<Conn>> conns_;
  std::vector<GroupStats> groups_;
  mutable std::mutex mu_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  int epoll_fd_ = -1;
  int connecting_ = 0;  // connects in flight (capped so the server's accept backlog is not flooded in one burst)
};

}  // namespace edgeml::perf
