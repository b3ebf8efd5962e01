#include "core/client_connection.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <cerrno>

namespace mysfits::core::detail {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t kHeaderLimit = 64 * 1024;

bool is_parse_error(const boost::system::error_code& ec) {
  return ec.category() == http::make_error_code(http::error::bad_version).category() &&
         ec != http::error::end_of_stream && ec != http::error::partial_message;
}

}  // namespace

ClientConnection::ClientConnection(asio::io_context& io, asio::ssl::context* tls) {
  if (tls != nullptr) {
    tls_.emplace(io, *tls);
  } else {
    plain_.emplace(io);
  }
}

beast::tcp_stream& ClientConnection::tcp() {
  return tls_ ? beast::get_lowest_layer(*tls_) : *plain_;
}

asio::awaitable<std::optional<Failure>> ClientConnection::connect(
    const Endpoint& endpoint, std::chrono::milliseconds connect_timeout, Clock::time_point deadline,
    bool verify) {
  peer_ = endpoint.host + ":" + std::to_string(endpoint.port);
  auto& stream = tcp();
  stream.expires_at(std::min(deadline, Clock::now() + connect_timeout));

  boost::system::error_code ec;
  const auto address = asio::ip::make_address(endpoint.host, ec);
  const bool literal = !ec;
  if (literal) {
    auto [connect_ec] =
        co_await stream.async_connect(tcp::endpoint(address, endpoint.port), kNoThrow);
    ec = connect_ec;
  } else {
    // getaddrinfo cannot be cancelled, so resolution is outside the connect timeout; it only
    // happens when a new connection is needed, never per request in steady state.
    tcp::resolver resolver(stream.get_executor());
    auto [resolve_ec, results] =
        co_await resolver.async_resolve(endpoint.host, std::to_string(endpoint.port), kNoThrow);
    if (resolve_ec) {
      co_return Failure{
          {Errc::kBadGateway, "cannot resolve " + endpoint.host + ": " + resolve_ec.message()},
          false};
    }
    auto [connect_ec, unused] = co_await stream.async_connect(results, kNoThrow);
    ec = connect_ec;
  }
  if (ec == beast::error::timeout) {
    // Nothing was sent, but another attempt would not fit in the caller's 2 s budget either.
    co_return Failure{{Errc::kBadGateway, "connecting to " + peer_ + " timed out"}, false};
  }
  if (ec) {
    co_return Failure{{Errc::kBadGateway, "cannot connect to " + peer_ + ": " + ec.message()},
                      true};
  }
  stream.socket().set_option(tcp::no_delay(true), ec);

  if (tls_) {
    if (!literal) {
      SSL_set_tlsext_host_name(tls_->native_handle(), endpoint.host.c_str());
    }
    if (verify) {
      tls_->set_verify_mode(asio::ssl::verify_peer);
      tls_->set_verify_callback(asio::ssl::host_name_verification(endpoint.host));
    } else {
      tls_->set_verify_mode(asio::ssl::verify_none);
    }
    auto [handshake_ec] = co_await tls_->async_handshake(asio::ssl::stream_base::client, kNoThrow);
    if (handshake_ec == beast::error::timeout) {
      co_return Failure{{Errc::kBadGateway, "TLS handshake with " + peer_ + " timed out"}, false};
    }
    if (handshake_ec) {
      co_return Failure{
          {Errc::kBadGateway, "TLS handshake with " + peer_ + " failed: " + handshake_ec.message()},
          false};
    }
  }
  co_return std::nullopt;
}

asio::awaitable<Exchange> ClientConnection::exchange(const OutgoingMessage& message, bool head,
                                                     Clock::time_point deadline,
                                                     std::size_t body_limit) {
  if (tls_) {
    co_return co_await exchange_on(*tls_, message, head, deadline, body_limit);
  }
  co_return co_await exchange_on(*plain_, message, head, deadline, body_limit);
}

template <class Stream>
asio::awaitable<Exchange> ClientConnection::exchange_on(Stream& stream,
                                                        const OutgoingMessage& message, bool head,
                                                        Clock::time_point deadline,
                                                        std::size_t body_limit) {
  Exchange out;
  auto fail = [&](const boost::system::error_code& ec, const char* phase) {
    if (ec == beast::error::timeout) {
      out.timed_out = true;
      out.error = {Errc::kTimeout, "no response from " + peer_ + " before the deadline"};
    } else if (is_parse_error(ec)) {
      out.error = {Errc::kBadGateway, "malformed response from " + peer_ + ": " + ec.message()};
    } else {
      out.error = {Errc::kBadGateway,
                   "connection to " + peer_ + " failed while " + phase + ": " + ec.message()};
    }
  };

  // One absolute expiry for every operation: the deadline covers the whole exchange.
  tcp().expires_at(deadline);
  auto [write_ec, written] = co_await http::async_write(stream, message, kNoThrow);
  if (write_ec) {
    out.nothing_written = written == 0;
    fail(write_ec, "sending the request");
    co_return out;
  }

  bool received = false;
  for (;;) {
    http::response_parser<http::string_body> parser;
    parser.header_limit(kHeaderLimit);
    parser.body_limit(body_limit);
    parser.skip(head);
    auto [read_ec, unused] = co_await http::async_read(stream, buffer_, parser, kNoThrow);
    received = received || parser.got_some() || buffer_.size() > 0;
    if (read_ec) {
      out.nothing_received = !received;
      if (!received && read_ec != beast::error::timeout) {
        out.reset_unanswered =
            read_ec == asio::error::connection_reset || co_await reset_follows(deadline);
      }
      fail(read_ec, "reading the response");
      co_return out;
    }
    auto& response = parser.get();
    const int status = response.result_int();
    if (status >= 100 && status < 200 && status != 101) {
      continue;  // interim response; the final one follows on the same connection
    }
    // Bytes left after a complete response were never asked for (we never pipeline), so the
    // connection's framing cannot be trusted any more.
    out.reusable =
        status != 101 && parser.keep_alive() && message.keep_alive() && buffer_.size() == 0;
    ClientResponse result;
    result.status = status;
    for (const auto& field : response) {
      result.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    }
    result.body = std::move(response.body());
    out.response = std::move(result);
    co_return out;
  }
}

// After a FIN, a reset can still be on its way: the server's kernel sends it when our request
// reaches a socket the application had already closed. It answers our bytes, so it arrives
// about one round trip after them; wait up to two (the kernel's smoothed RTT) for it.
asio::awaitable<bool> ClientConnection::reset_follows(Clock::time_point deadline) {
  const int fd = tcp().socket().native_handle();
  auto reset_seen = [fd](std::chrono::microseconds* rtt) {
    tcp_info info{};
    socklen_t size = sizeof(info);
    if (::getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &size) != 0) {
      return false;
    }
    if (rtt != nullptr) {
      *rtt = std::chrono::microseconds(info.tcpi_rtt);
    }
    return info.tcpi_state == TCP_CLOSE;  // the reset ended it; a FIN alone leaves CLOSE_WAIT
  };
  std::chrono::microseconds rtt{0};
  if (reset_seen(&rtt)) {
    co_return true;
  }
  const auto wait = std::min<Clock::duration>(
      {2 * rtt + std::chrono::milliseconds(1), std::chrono::milliseconds(100),
       std::max<Clock::duration>(deadline - Clock::now(), Clock::duration::zero())});
  asio::steady_timer timer(tcp().get_executor(), wait);
  co_await timer.async_wait(kNoThrow);
  co_return reset_seen(nullptr);
}

bool ClientConnection::looks_alive() {
  char byte = 0;
  const auto n = ::recv(tcp().socket().native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  if (n == 0) {
    return false;  // orderly close by the peer
  }
  if (n < 0) {
    return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
  }
  // Bytes nobody asked for: on plain HTTP a 408 or garbage before a close; on TLS most likely a
  // close_notify (session tickets are consumed while reading the first response). Either way a
  // fresh connection is the safe choice.
  return false;
}

}  // namespace mysfits::core::detail
