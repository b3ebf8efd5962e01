#pragma once

// Internal to the HTTP client (included by http_client.cpp only): one pooled connection, plain
// or TLS, and one request/response exchange on it. Beast stays out of the public headers.

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <chrono>
#include <optional>
#include <string>

#include "core/http_client.hpp"

namespace mysfits::core::detail {

using Clock = std::chrono::steady_clock;
using OutgoingMessage = boost::beast::http::request<boost::beast::http::string_body>;

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

class ClientConnection {
 public:
  // tls: null for plain HTTP.
  ClientConnection(boost::asio::io_context& io, boost::asio::ssl::context* tls);

  // Resolves, connects and (for TLS) handshakes, all before min(deadline, now +
  // connect_timeout). A failed TCP connect is retry-safe (nothing was sent); a timeout, a name
  // that does not resolve or a failed handshake are not worth retrying.
  boost::asio::awaitable<std::optional<Failure>> connect(const Endpoint& endpoint,
                                                         std::chrono::milliseconds connect_timeout,
                                                         Clock::time_point deadline, bool verify);

  // Writes the message and reads one final response (interim 1xx skipped), all before deadline.
  boost::asio::awaitable<Exchange> exchange(const OutgoingMessage& message, bool head,
                                            Clock::time_point deadline, std::size_t body_limit);

  // After a response-less end of stream: whether the peer's reset follows (see
  // Exchange::reset_unanswered).
  boost::asio::awaitable<bool> reset_follows(Clock::time_point deadline);

  // A non-blocking peek before reuse: false when the peer has closed or reset the connection, or
  // has sent bytes nobody asked for (a 408 before closing, a TLS close_notify).
  bool looks_alive();

  bool reused = false;  // has completed an exchange before
  Clock::time_point idle_since{};

 private:
  template <class Stream>
  boost::asio::awaitable<Exchange> exchange_on(Stream& stream, const OutgoingMessage& message,
                                               bool head, Clock::time_point deadline,
                                               std::size_t body_limit);
  boost::beast::tcp_stream& tcp();

  std::optional<boost::beast::tcp_stream> plain_;
  std::optional<boost::beast::ssl_stream<boost::beast::tcp_stream>> tls_;
  boost::beast::flat_buffer buffer_;
  std::string peer_;  // "host:port", for error messages
};

}  // namespace mysfits::core::detail
