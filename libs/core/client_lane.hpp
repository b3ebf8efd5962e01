#pragma once

// Internal to the HTTP client (included by http_client.cpp and client_lane.cpp only): one
// client's connection pool on one io_context, and the registry that ties lanes to it.

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/client_connection.hpp"
#include "core/http_client.hpp"

namespace mysfits::core::detail {

namespace asio = boost::asio;

// Shared by a client and its lanes; immutable once built.
struct Shared {
  std::uint64_t id = 0;
  Endpoint endpoint;
  std::string host_header;  // endpoint.host_header(), built once
  ClientOptions options;
  std::unique_ptr<asio::ssl::context> tls;
};

// Written by one lane's thread, read by stats() from any thread.
struct Counters {
  std::atomic<std::uint64_t> opened{0};
  std::atomic<std::uint64_t> open{0};
  std::atomic<std::uint64_t> idle{0};
  std::atomic<std::uint64_t> retries{0};
};

struct Checkout {
  std::unique_ptr<ClientConnection> connection;
  Failure failure;  // when connection is null
};

struct Call;  // one request on its way through a lane (client_lane.cpp)
using CallPtr = std::unique_ptr<Call>;

// One client's pool on one io_context. Only that io_context's thread touches it, so nothing
// here is locked.
class Lane : public std::enable_shared_from_this<Lane> {
 public:
  Lane(asio::io_context& io, std::shared_ptr<const Shared> shared,
       std::shared_ptr<Counters> counters);
  ~Lane();  // out of line: Call is complete only in client_lane.cpp
  Lane(const Lane&) = delete;
  Lane& operator=(const Lane&) = delete;

  // Completes done on this lane's thread, never inside start().
  void start(ClientRequest request, ClientCallback done);

  // The client is gone or the io_context is shutting down: idle connections close now, busy
  // ones when their exchange ends.
  void close();

  // The exchange on call's connection ended (Call::exchanged).
  void exchanged(CallPtr call, Exchange exchange);

 private:
  struct Waiter {
    explicit Waiter(asio::io_context& io) : timer(io) {}
    asio::steady_timer timer;
    bool granted = false;
    std::unique_ptr<ClientConnection> connection;  // handed over, or null: open a new one
  };

  // One attempt: on the most recently used idle connection when there is one (the steady state:
  // no coroutine, no timer, no allocation besides the call), otherwise through acquire().
  void attempt(CallPtr call, Clock::time_point now);
  void send_on_connection(CallPtr call);

  // Retry rules (docs/decisions/0007-http-client.md). A request is sent again only when it
  // surely was not processed, at most max_connect_retries times and within its deadline:
  //  - the TCP connect failed (refused, unreachable): nothing was sent; jittered backoff;
  //  - the write failed before one byte left us;
  //  - the peer reset the connection before one byte of a response arrived: the kernel resets
  //    only when the server application closed with our request unread (the race with a
  //    server closing a keep-alive connection just as we reuse it);
  //  - on a reused connection the peer closed (FIN) before one byte of a response arrived, and
  //    the request is idempotent. A FIN looks exactly like a server that read the request,
  //    acted on it and died before answering, so a POST (a like) is not replayed there: it
  //    fails with 502 rather than risk counting twice. A peek before reuse drops connections
  //    the peer already closed, and idle_timeout closes ours before the server closes its end.
  // Timeouts are never retried: the server may still be working on the request.
  void failed(CallPtr call, Failure failure, bool pause);
  void finish(CallPtr call, Result<ClientResponse> result);

  // The slow path of attempt(): waits for a free slot or connection, or connects a new one.
  static asio::awaitable<void> acquire(std::shared_ptr<Lane> self, CallPtr call);

  // A pooled connection, or a new one when fewer than max_open_per_thread are open; otherwise
  // waits (FIFO) for one to come back, until the deadline.
  asio::awaitable<Checkout> checkout(Clock::time_point deadline, bool fresh_only);

  Checkout no_free_connection() const;

  std::unique_ptr<ClientConnection> take_idle(Clock::time_point now);

  void checkin(std::unique_ptr<ClientConnection> connection, bool reusable);

  // A connection closed: its slot goes to the first waiter, who opens a new one.
  void release_slot();

  // Closes connections idle longer than idle_timeout even when no request comes to notice.
  void arm_sweep();

  // Every connect and exchange has a deadline. One timer serves them all: it is armed for the
  // earliest deadline and, when it fires, expires what is overdue and re-arms for the next. With
  // one timeout for every request it is re-armed about once per timeout, never per request.
  void watch(ClientConnection& connection, Clock::time_point until);
  void arm_deadlines(Clock::time_point at);
  void expire_overdue();

  void publish();

  asio::io_context& io_;
  std::shared_ptr<const Shared> shared_;
  std::shared_ptr<Counters> counters_;
  std::deque<std::unique_ptr<ClientConnection>> idle_;  // oldest first
  std::deque<Waiter*> waiters_;
  std::size_t open_ = 0;    // idle + in use + connecting
  std::size_t in_use_ = 0;  // checked out (connecting or exchanging)
  bool closed_ = false;
  asio::steady_timer sweep_;
  bool sweep_armed_ = false;
  std::vector<ClientConnection*> watched_;  // connecting or exchanging, with a deadline
  // Finished calls, reused by the next requests instead of allocating one each.
  static constexpr std::size_t kSpareCalls = 16;
  std::vector<CallPtr> spare_calls_;
  asio::steady_timer deadlines_;
  std::optional<Clock::time_point> deadlines_at_;  // when armed
};

// The lanes of every client on one io_context. Being an io_context service, it is shut down with
// the io_context, so pooled sockets never outlive the io_context they belong to, whichever of
// the client or the io_context goes first.
class LaneRegistry : public asio::execution_context::service {
 public:
  static inline asio::io_context::id id;  // NOLINT(readability-identifier-naming): Asio's name

  explicit LaneRegistry(asio::execution_context& context)
      : asio::execution_context::service(context) {}

  std::unordered_map<std::uint64_t, std::shared_ptr<Lane>> lanes;

 private:
  void shutdown() override {
    auto lanes_now = std::move(lanes);
    for (auto& [client, lane] : lanes_now) {
      lane->close();
    }
  }
};

}  // namespace mysfits::core::detail
