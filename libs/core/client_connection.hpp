#pragma once

// Internal to the HTTP client (included by the client's own .cpp files only): one pooled
// connection, plain or TLS, and one request/response exchange on it. Beast stays out of the
// public headers.

#include <boost/asio/awaitable.hpp>
#include <boost/asio/basic_waitable_timer.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/http_client.hpp"
#include "core/response_parser.hpp"

namespace mysfits::core::detail {

using Clock = std::chrono::steady_clock;

// Why an attempt failed and whether the request surely never reached the server, which is the
// only case where the client may send it again.
struct Failure {
  Error error;
  bool retry_safe = false;
};

// One attempt on one connection. On failure the flags say how far the request got.
struct Exchange {
  std::optional<ClientResponse> response;
  Error error;
  bool timed_out = false;
  bool nothing_written = false;   // not one byte of the request left this process
  bool nothing_received = false;  // not one byte of a response arrived
  // The peer reset the connection before answering, at once or right after its FIN. A TCP
  // stack resets when the application closes its socket with our bytes unread, or when our
  // bytes reach a socket it had already closed: either way the server never read the request.
  // (A server that reads a request, then aborts with SO_LINGER 0 would fool this; ours don't.)
  bool reset_unanswered = false;
  bool reusable = false;  // the connection may carry another request
};

// Whatever must outlive an exchange: the request, the caller's callback and the connection
// itself. The pending operation owns it, so a torn-down io_context frees everything with it;
// it is handed back with the outcome.
class ExchangeOwner {
 public:
  virtual ~ExchangeOwner() = default;
  virtual void exchanged(std::unique_ptr<ExchangeOwner> self, Exchange result) = 0;
};
using OwnerPtr = std::unique_ptr<ExchangeOwner>;

class ClientConnection {
 public:
  // Bound to the io_context's own executor type rather than any_io_executor: every operation
  // would otherwise copy and destroy a type-erased executor.
  using Socket = boost::asio::basic_stream_socket<boost::asio::ip::tcp,
                                                  boost::asio::io_context::executor_type>;
  using Timer = boost::asio::basic_waitable_timer<Clock, boost::asio::wait_traits<Clock>,
                                                  boost::asio::io_context::executor_type>;

  // tls: null for plain HTTP.
  ClientConnection(boost::asio::io_context& io, boost::asio::ssl::context* tls);
  ~ClientConnection();
  ClientConnection(const ClientConnection&) = delete;
  ClientConnection& operator=(const ClientConnection&) = delete;

  // Resolves, connects and (for TLS) handshakes. Only expire() stops it early (the lane watches
  // the connect timeout): then it fails as timed out. A failed TCP connect is retry-safe
  // (nothing was sent); a timeout, a name that does not resolve or a failed handshake are not
  // worth retrying.
  boost::asio::awaitable<std::optional<Failure>> connect(const Endpoint& endpoint, bool verify);

  // Writes the request (head and body in one gather write) and reads one final response
  // (interim 1xx skipped); reports to owner->exchanged(), never inside this call. The owner must
  // own this connection and keep request alive until then. Only expire() ends it on time.
  void exchange(OwnerPtr owner, const ClientRequest& request, std::string_view default_host,
                bool head, std::size_t body_limit);

  // Deadlines: one timer per lane instead of one per operation. While watched, the connection
  // sits in the lane's list (removed again by unwatch(), expire() or its destructor).
  void watch(std::vector<ClientConnection*>& list, Clock::time_point until);
  void unwatch();
  Clock::time_point watched_until() const { return watch_until_; }
  // The deadline passed: pending operations end now and fail as timed out.
  void expire();

  // A non-blocking peek before reuse: false when the peer has closed or reset the connection, or
  // has sent bytes nobody asked for (a 408 before closing, a TLS close_notify).
  bool looks_alive();

  bool reused = false;  // has completed an exchange before
  Clock::time_point idle_since{};

 private:
  using error_code = boost::system::error_code;

  Socket& socket();
  template <class Buffers>
  void write(OwnerPtr owner, const Buffers& buffers);
  void written(OwnerPtr owner, const error_code& ec, std::size_t bytes);
  void start_response();
  void read(OwnerPtr owner);
  void on_read(OwnerPtr owner, error_code ec, std::size_t bytes);
  // Feeds buffered bytes to the parser; false when the exchange has ended (either way).
  bool parse_buffered(OwnerPtr& owner);
  bool response_complete(OwnerPtr& owner);
  void read_failed(OwnerPtr owner, const error_code& ec);
  bool reset_seen(std::chrono::microseconds* rtt);
  void fail(const error_code& ec, const char* phase);
  void finish(OwnerPtr owner);

  std::optional<Socket> plain_;
  std::optional<boost::asio::ssl::stream<Socket>> tls_;
  boost::beast::flat_buffer buffer_;
  std::string peer_;  // "host:port", for error messages

  // The exchange in progress; kept between exchanges so their storage is reused.
  std::string head_;
  std::optional<ResponseParser> parser_;
  ClientResponse response_;
  Exchange out_;
  std::size_t body_limit_ = 0;
  bool head_request_ = false;
  bool keep_alive_ = true;
  bool received_ = false;
  bool timed_out_ = false;
  std::optional<Timer> reset_wait_;

  std::vector<ClientConnection*>* watch_list_ = nullptr;
  std::size_t watch_index_ = 0;
  Clock::time_point watch_until_{};
};

}  // namespace mysfits::core::detail
