#pragma once
// A response body produced over time (server-sent events). The route creates the channel and hands it to its
// producers, who push chunks from any thread; the server writes them as they come and sends a heartbeat comment when
// nothing was written for a while, so proxies keep the stream open and a gone client is noticed. Memory is bounded: a
// client that reads slower than its producers is cut off once max_buffered_bytes wait for it. No thread is held per
// stream: the server is woken by push() instead.
#include <functional>
#include <mutex>
#include <string>
#include <string_view>

namespace edgeml::http {

class StreamChannel {
 public:
  explicit StreamChannel(std::string content_type = "text/event-stream", size_t max_buffered_bytes = 4 << 20,
                         double heartbeat_s = 15, std::string heartbeat = ": keep-alive\n\n");

  // Producer side (any thread). push() answers false once the stream is closed or the client went away; the producer
  // should then stop (and unsubscribe).
  bool push(std::string_view chunk);
  void close();  // no more data: the server ends the body after what is queued
  bool open() const;
  // Runs once when the stream ends for any reason (client gone, closed, server stopping): unsubscribe there.
  void on_end(std::function<void()> f);

  // Server side.
  const std::string& content_type() const { return content_type_; }
  double heartbeat_s() const { return heartbeat_s_; }
  const std::string& heartbeat() const { return heartbeat_; }
  void set_waker(std::function<void()> wake);  // called (from any thread) when data or the end is available
  // Moves what is queued into `out`; `ended` is true when the producer closed and nothing more will come.
  void take(std::string& out, bool& ended);
  void finished();  // the server is done with the stream (runs on_end once)

 private:
  mutable std::mutex mu_;
  std::string content_type_;
  size_t max_buffered_;
  double heartbeat_s_;
  std::string heartbeat_;
  std::string queued_;
  bool closed_ = false;
  bool gone_ = false;
  std::function<void()> wake_;
  std::function<void()> on_end_;
};

}  // namespace edgeml::http
