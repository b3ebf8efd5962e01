#include "core/client_connection.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/read_size.hpp>
#include <boost/beast/http/error.hpp>
#include <cerrno>

#include "core/request_head.hpp"

namespace mysfits::core::detail {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t kHeaderLimit = 64 * 1024;
constexpr std::size_t kReadSize = 64 * 1024;  // at most per read
constexpr std::size_t kInitialBuffer = 4 * 1024;

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
  buffer_.reserve(kInitialBuffer);
}

ClientConnection::~ClientConnection() {
  unwatch();
}

ClientConnection::Socket& ClientConnection::socket() {
  return tls_ ? tls_->next_layer() : *plain_;
}

asio::awaitable<std::optional<Failure>> ClientConnection::connect(const Endpoint& endpoint,
                                                                  bool verify) {
  peer_ = endpoint.host + ":" + std::to_string(endpoint.port);
  auto& sock = socket();
  const Failure timed_out{{Errc::kBadGateway, "connecting to " + peer_ + " timed out"}, false};

  error_code ec;
  const auto address = asio::ip::make_address(endpoint.host, ec);
  const bool literal = !ec;
  if (literal) {
    auto [connect_ec] =
        co_await sock.async_connect(tcp::endpoint(address, endpoint.port), kNoThrow);
    ec = connect_ec;
  } else {
    // getaddrinfo cannot be cancelled, so resolution is outside the connect timeout; it only
    // happens when a new connection is needed, never per request in steady state.
    tcp::resolver resolver(asio::any_io_executor(sock.get_executor()));
    auto [resolve_ec, results] =
        co_await resolver.async_resolve(endpoint.host, std::to_string(endpoint.port), kNoThrow);
    if (resolve_ec) {
      co_return Failure{
          {Errc::kBadGateway, "cannot resolve " + endpoint.host + ": " + resolve_ec.message()},
          false};
    }
    if (timed_out_) {  // connecting now would reopen the socket expire() closed
      co_return timed_out;
    }
    auto [connect_ec, unused] = co_await asio::async_connect(sock, results, kNoThrow);
    ec = connect_ec;
  }
  if (timed_out_) {
    // Nothing was sent, but another attempt would not fit in the caller's 2 s budget either.
    co_return timed_out;
  }
  if (ec) {
    co_return Failure{{Errc::kBadGateway, "cannot connect to " + peer_ + ": " + ec.message()},
                      true};
  }
  sock.set_option(tcp::no_delay(true), ec);

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
    if (timed_out_) {
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

void ClientConnection::exchange(OwnerPtr owner, const ClientRequest& request,
                                std::string_view default_host, bool head, std::size_t body_limit) {
  out_ = Exchange{};
  keep_alive_ = write_request_head(head_, request, default_host);
  head_request_ = head;
  body_limit_ = body_limit;
  received_ = false;
  if (tls_) {
    // OpenSSL makes one record per buffer: one record for the whole request.
    head_.append(request.body);
    write(std::move(owner), asio::buffer(head_));
  } else {
    // One sendmsg for head and body, without copying the body.
    write(std::move(owner),
          std::array<asio::const_buffer, 2>{asio::buffer(head_), asio::buffer(request.body)});
  }
}

template <class Buffers>
void ClientConnection::write(OwnerPtr owner, const Buffers& buffers) {
  auto done = [this, owner = std::move(owner)](const error_code& ec, std::size_t bytes) mutable {
    written(std::move(owner), ec, bytes);
  };
  if (tls_) {
    asio::async_write(*tls_, buffers, std::move(done));
  } else {
    asio::async_write(*plain_, buffers, std::move(done));
  }
}

void ClientConnection::written(OwnerPtr owner, const error_code& ec, std::size_t bytes) {
  if (ec) {
    out_.nothing_written = bytes == 0;
    fail(ec, "sending the request");
    finish(std::move(owner));
    return;
  }
  start_response();
  read(std::move(owner));
}

void ClientConnection::start_response() {
  response_ = ClientResponse{};
  parser_.emplace(response_, kHeaderLimit, body_limit_, head_request_);
}

void ClientConnection::read(OwnerPtr owner) {
  if (!parse_buffered(owner)) {
    return;
  }
  if (timed_out_) {  // expired between two operations, so nothing was pending to cancel
    read_failed(std::move(owner), asio::error::operation_aborted);
    return;
  }
  const auto buffers = buffer_.prepare(beast::read_size(buffer_, kReadSize));
  auto done = [this, owner = std::move(owner)](const error_code& ec, std::size_t bytes) mutable {
    on_read(std::move(owner), ec, bytes);
  };
  if (tls_) {
    tls_->async_read_some(buffers, std::move(done));
  } else {
    plain_->async_read_some(buffers, std::move(done));
  }
}

void ClientConnection::on_read(OwnerPtr owner, error_code ec, std::size_t bytes) {
  if (ec == asio::error::eof) {
    if (!parser_->got_some()) {
      ec = http::error::end_of_stream;
    } else {
      ec = {};
      parser_->put_eof(ec);  // completes a body that runs to the end of the stream
      if (!ec) {
        if (response_complete(owner)) {
          return;
        }
        ec = http::error::partial_message;  // closed right after an interim response
      }
    }
  }
  if (ec) {
    read_failed(std::move(owner), ec);
    return;
  }
  buffer_.commit(bytes);
  received_ = received_ || bytes > 0;
  read(std::move(owner));
}

bool ClientConnection::parse_buffered(OwnerPtr& owner) {
  while (buffer_.size() > 0) {
    error_code ec;
    const auto used = parser_->put(buffer_.data(), ec);
    buffer_.consume(used);
    if (ec == http::error::need_more) {
      return true;
    }
    if (ec) {
      read_failed(std::move(owner), ec);
      return false;
    }
    if (parser_->is_done()) {
      if (response_complete(owner)) {
        return false;
      }
    } else if (used == 0) {
      return true;
    }
  }
  return true;
}

bool ClientConnection::response_complete(OwnerPtr& owner) {
  const int status = response_.status;
  if (status >= 100 && status < 200 && status != 101) {
    start_response();  // interim response; the final one follows on the same connection
    return false;
  }
  // Bytes left after a complete response were never asked for (we never pipeline), so the
  // connection's framing cannot be trusted any more.
  out_.reusable = status != 101 && parser_->keep_alive() && keep_alive_ && buffer_.size() == 0;
  out_.response = std::move(response_);
  finish(std::move(owner));
  return true;
}

// After a response-less end of stream, a reset can still be on its way: the server's kernel
// sends it when our request reaches a socket the application had already closed. It answers our
// bytes, so it arrives about one round trip after them; wait up to two (the kernel's smoothed
// RTT) for it.
void ClientConnection::read_failed(OwnerPtr owner, const error_code& ec) {
  out_.nothing_received = !received_;
  const bool timeout = timed_out_ && ec == asio::error::operation_aborted;
  if (!received_ && !timeout) {
    std::chrono::microseconds rtt{0};
    if (ec == asio::error::connection_reset || reset_seen(&rtt)) {
      out_.reset_unanswered = true;
    } else {
      const auto wait = std::min<Clock::duration>(
          {2 * rtt + std::chrono::milliseconds(1), std::chrono::milliseconds(100),
           std::max<Clock::duration>(watch_until_ - Clock::now(), Clock::duration::zero())});
      if (!reset_wait_) {
        reset_wait_.emplace(socket().get_executor());
      }
      reset_wait_->expires_after(wait);
      reset_wait_->async_wait([this, owner = std::move(owner), ec](const error_code&) mutable {
        out_.reset_unanswered = reset_seen(nullptr);
        fail(ec, "reading the response");
        finish(std::move(owner));
      });
      return;
    }
  }
  fail(ec, "reading the response");
  finish(std::move(owner));
}

bool ClientConnection::reset_seen(std::chrono::microseconds* rtt) {
  tcp_info info{};
  socklen_t size = sizeof(info);
  if (::getsockopt(socket().native_handle(), IPPROTO_TCP, TCP_INFO, &info, &size) != 0) {
    return false;
  }
  if (rtt != nullptr) {
    *rtt = std::chrono::microseconds(info.tcpi_rtt);
  }
  return info.tcpi_state == TCP_CLOSE;  // the reset ended it; a FIN alone leaves CLOSE_WAIT
}

void ClientConnection::fail(const error_code& ec, const char* phase) {
  if (timed_out_ && ec == asio::error::operation_aborted) {
    out_.timed_out = true;
    out_.error = {Errc::kTimeout, "no response from " + peer_ + " before the deadline"};
  } else if (is_parse_error(ec)) {
    out_.error = {Errc::kBadGateway, "malformed response from " + peer_ + ": " + ec.message()};
  } else {
    out_.error = {Errc::kBadGateway,
                  "connection to " + peer_ + " failed while " + phase + ": " + ec.message()};
  }
}

void ClientConnection::finish(OwnerPtr owner) {
  auto& target = *owner;
  target.exchanged(std::move(owner), std::move(out_));  // may destroy this connection
}

void ClientConnection::watch(std::vector<ClientConnection*>& list, Clock::time_point until) {
  unwatch();
  timed_out_ = false;
  watch_until_ = until;
  watch_list_ = &list;
  watch_index_ = list.size();
  list.push_back(this);
}

void ClientConnection::unwatch() {
  if (watch_list_ == nullptr) {
    return;
  }
  auto& list = *watch_list_;
  list[watch_index_] = list.back();
  list[watch_index_]->watch_index_ = watch_index_;
  list.pop_back();
  watch_list_ = nullptr;
}

void ClientConnection::expire() {
  unwatch();
  timed_out_ = true;
  // Closed rather than cancelled: a range connect would otherwise go on to the next address.
  error_code ignored;
  socket().close(ignored);
}

bool ClientConnection::looks_alive() {
  char byte = 0;
  const auto n = ::recv(socket().native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
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
