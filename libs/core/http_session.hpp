#pragma once

// Internal to the core library: the per-connection coroutine and the per-thread worker that
// owns its connections. Only http_server.cpp and http_session.cpp include this.

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <list>
#include <memory>
#include <unordered_map>

#include "core/http_server.hpp"
#include "core/metrics.hpp"
#include "core/router.hpp"

namespace mysfits::core::detail {

struct SessionHandle {
  boost::beast::tcp_stream* stream = nullptr;
  bool idle = true;  // waiting for the first byte of a request
};

// One thread's io_context and the connections it owns. `sessions` and `draining` are touched
// only on this worker's thread.
struct Worker {
  explicit Worker(int i) : index(i), io(1) {}
  int index;
  boost::asio::io_context io;
  bool draining = false;
  std::list<SessionHandle*> sessions;

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

boost::asio::awaitable<void> run_session(Worker& worker, boost::asio::ip::tcp::socket socket,
                                         std::shared_ptr<const SessionContext> context);

}  // namespace mysfits::core::detail
