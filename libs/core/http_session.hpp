#pragma once

// Internal to the core library: the per-connection coroutine and the per-thread worker that
// owns its connections. Only http_server.cpp and http_session.cpp include this.

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <chrono>
#include <list>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/http_server.hpp"
#include "core/metrics.hpp"
#include "core/router.hpp"

namespace mysfits::core::detail {

using Clock = std::chrono::steady_clock;

struct SessionHandle {
  boost::asio::ip::tcp::socket* socket = nullptr;
  bool idle = true;  // waiting for the first byte of a request
  // When the current read or write must be over; the sweeper closes the socket past it.
  Clock::time_point deadline = Clock::time_point::max();
};

// One thread's io_context and the connections it owns. `sessions` and `draining` are touched
// only on this worker's thread.
struct Worker {
  explicit Worker(int i) : index(i), io(1) {}
  int index;
  bool draining = false;
  std::list<SessionHandle*> sessions;
  // Declared last, so destroyed first: sessions still open after a drain timeout are coroutine
  // frames owned by io, and unregister themselves from `sessions` as they are destroyed.
  boost::asio::io_context io;

  // Stop taking new requests on kept-alive connections: idle ones close now, busy ones after
  // their current response.
  void begin_drain();
};

// What a connection needs to know about its listener; shared by all its connections.
struct SessionContext {
  const Router* router = nullptr;
  const ServerOptions* options = nullptr;
  const HttpServer* server = nullptr;
  std::atomic<std::size_t>* open_sessions = nullptr;
  std::uint16_t local_port = 0;
  Metrics* metrics = nullptr;  // null: not measured (admin listeners)
  std::unordered_map<const Router::Route*, Metrics::RequestSeries*> series;
  Metrics::RequestSeries* unmatched = nullptr;
};

// One client connection's state across its requests, owned by run_session's frame.
struct Connection {
  Connection(Worker& w, const SessionContext& ctx, boost::asio::ip::tcp::socket& s,
             SessionHandle& h)
      : worker(w), context(ctx), stream(s), handle(h) {}

  Worker& worker;
  const SessionContext& context;
  boost::asio::ip::tcp::socket& stream;
  SessionHandle& handle;
  std::string remote_address;
  std::uint16_t remote_port = 0;
  boost::beast::flat_buffer buffer;  // bytes read and not yet parsed (pipelined requests)
  std::string head_buffer;           // reused by every response of the connection
  std::string request_id;
  std::string_view cors_origin;

  const ServerLimits& limits() const { return context.options->limits; }
  // Deadlines are enforced by the worker's sweeper (run_deadline_sweeper), not by a timer per
  // operation: arming and cancelling a timer around every read and write cost more than the
  // request's own work. Between a request and its response, the handler's deadlines apply.
  void arm(std::chrono::milliseconds timeout) { handle.deadline = Clock::now() + timeout; }
  void disarm() { handle.deadline = Clock::time_point::max(); }
};

// Closes the connections of `worker` whose deadline passed, checking every `interval` (so a
// timeout fires up to one interval late). Runs until the worker's io_context stops.
boost::asio::awaitable<void> run_deadline_sweeper(Worker& worker,
                                                  std::chrono::milliseconds interval);

boost::asio::awaitable<void> run_session(Worker& worker, boost::asio::ip::tcp::socket socket,
                                         std::shared_ptr<const SessionContext> context);

}  // namespace mysfits::core::detail
