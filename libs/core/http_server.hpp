#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "core/router.hpp"

namespace mysfits::core {

class Metrics;

struct ServerLimits {
  std::size_t max_request_line = 16 * 1024;  // longer target: 414
  std::size_t max_header_field = 16 * 1024;  // one longer header: 431
  std::size_t max_header_total = 64 * 1024;  // all headers: 431
  std::size_t max_body = 1024 * 1024;        // 413
  // Keep-alive idle time before the first byte of a request. Longer than the ALB's 60 s idle
  // timeout, so the load balancer, not the target, closes idle connections (no 502 races).
  std::chrono::milliseconds idle_timeout{65'000};
  // From the first byte of a request to its last: a slow or silent client is cut off here.
  std::chrono::milliseconds request_timeout{10'000};
  std::chrono::milliseconds write_timeout{10'000};
  std::size_t max_connections = 10'000;  // beyond this, new connections are closed at once
};

struct ServerOptions {
  std::string service_name = "mysfits";
  int threads = 0;  // 0: one per CPU this process may use (CpuAllowance::worker_threads)
  ServerLimits limits;
  bool cors = true;  // answer preflights, add Access-Control-Allow-Origin
  std::string cors_origin = "*";
  bool request_ids = true;  // keep or make X-Request-Id, echo it on the response
  std::chrono::milliseconds drain_timeout{20'000};
};

// HTTP/1.1 server on Boost.Beast with C++20 coroutines. One io_context per thread; one acceptor
// hands connections round robin to them, so a connection lives on one thread and needs no locks.
// Serves keep-alive and pipelined requests in order; answers CORS preflights; adds
// X-Request-Id; records metrics per route. Beast stays inside http_server.cpp.
class HttpServer {
 public:
  explicit HttpServer(ServerOptions options, std::shared_ptr<Metrics> metrics = nullptr);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds now (so a port-0 listener knows its port before run()); returns the bound port.
  // Listeners added with public_traffic=false (admin) are not counted in readiness or metrics.
  std::uint16_t listen(const std::string& host, std::uint16_t port, const Router& router,
                       bool public_traffic = true);

  // Blocks: serves until shutdown() completes, then returns. Installs SIGTERM/SIGINT handlers
  // that call shutdown().
  void run();

  // Graceful stop, callable from any thread: readiness turns false, listeners close, idle
  // keep-alive connections close, in-flight requests finish (their responses carry
  // Connection: close), and run() returns once none is left or drain_timeout passed.
  void shutdown();

  // /readyz answers 503 until ready and after shutdown begins.
  void set_ready(bool ready) { ready_.store(ready, std::memory_order_relaxed); }
  bool ready() const { return ready_.load(std::memory_order_relaxed) && !draining(); }
  bool draining() const { return draining_.load(std::memory_order_relaxed); }

  // Runs fn on every worker thread before it starts serving (per-thread state set-up).
  void on_worker_start(std::function<void(int worker_index)> fn);

  // The index of the calling thread among this server's workers (0..thread_count()-1), or -1
  // on any other thread.
  int worker_index() const;

  // Queues fn on every worker, after what each is doing now; each runs it on its own thread
  // with its index. `done`, when given, runs once all have, on the thread of the last one. For
  // handing each worker its own copy of shared state, which it then reads without a lock.
  // Queued before run(), they run as the workers start; after the workers stop, never.
  void post_to_every_worker(std::function<void(int worker_index)> fn,
                            std::function<void()> done = {});

  int thread_count() const;

  // Client connections open now, on every listener.
  std::size_t open_connections() const;

  // Runs fn on worker 0's thread whenever the process receives signal_number (e.g. SIGHUP to
  // reload configuration). SIGTERM and SIGINT always start shutdown().
  void on_signal(int signal_number, std::function<void()> fn);

  // Runs fn on worker 0's thread every interval until shutdown (background health checks);
  // fn may use HttpClient since current_io() is set there.
  void run_every(std::chrono::milliseconds interval, std::function<void()> fn);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::atomic<bool> ready_{false};
  std::atomic<bool> draining_{false};
};

}  // namespace mysfits::core
