#include "integration/split/fake_monolith.hpp"

#include <algorithm>
#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cctype>
#include <thread>

#include "support/http_probe.hpp"

namespace mysfits::testing {
namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;
constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

std::string response_bytes(int status, const std::string& content_type, const std::string& body) {
  return "HTTP/1.1 " + std::to_string(status) + " Fake\r\nContent-Type: " + content_type +
         "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

}  // namespace

struct FakeMonolith::Impl {
  Impl(Mode m, std::uint16_t upstream)
      : mode(m), upstream_port(upstream), acceptor(io, {asio::ip::make_address("127.0.0.1"), 0}) {}

  asio::awaitable<void> accept_loop() {
    for (;;) {
      auto [ec, socket] = co_await acceptor.async_accept(kNoThrow);
      if (ec) {
        co_return;
      }
      const int close_after = 1 + (accepted++ % 3);
      asio::co_spawn(io, session(std::move(socket), close_after), asio::detached);
    }
  }

  asio::awaitable<void> session(tcp::socket socket, int close_after) {
    boost::beast::flat_buffer buffer;
    for (int served = 0;;) {
      http::request<http::string_body> request;
      auto [ec, unused] = co_await http::async_read(socket, buffer, request, kNoThrow);
      if (ec) {
        co_return;
      }
      if (request.target() != "/readyz") {
        ++requests;
      }
      if (mode == Mode::kSilent) {
        continue;  // read on, so the client's request is taken and never answered
      }
      std::string out;
      if (mode == Mode::kRecord) {
        remember(request);
        out = response_bytes(201, "application/json", kRecordBody);
      } else {
        // Blocking is fine here: one test client at a time, and the monolith answers at once.
        Headers headers;
        for (const auto& field : request) {
          if (lower(std::string(field.name_string())) == "x-request-id") {
            headers.emplace_back("X-Request-Id", std::string(field.value()));
          }
        }
        auto answer = testing::http(upstream_port, std::string(request.method_string()),
                                    std::string(request.target()), request.body(), headers);
        out = answer.ok ? response_bytes(answer.status, answer.header("content-type"), answer.body)
                        : response_bytes(599, "text/plain", "fake proxy: " + answer.error);
      }
      auto [write_ec, written] = co_await asio::async_write(socket, asio::buffer(out), kNoThrow);
      if (write_ec) {
        co_return;
      }
      if (mode == Mode::kClosingProxy && ++served == close_after) {
        ++closed_by_us;
        co_return;  // the socket closes here, without having said so in the response
      }
    }
  }

  void remember(const http::request<http::string_body>& request) {
    Seen seen;
    seen.method = std::string(request.method_string());
    seen.target = std::string(request.target());
    for (const auto& field : request) {
      seen.headers[lower(std::string(field.name_string()))] = std::string(field.value());
    }
    std::lock_guard lock(mutex);
    last = std::move(seen);
  }

  Mode mode;
  std::uint16_t upstream_port;
  asio::io_context io;
  tcp::acceptor acceptor;
  std::thread thread;
  int accepted = 0;  // only the io thread
  std::atomic<int> requests{0};
  std::atomic<int> closed_by_us{0};
  mutable std::mutex mutex;
  Seen last;
};

FakeMonolith::FakeMonolith(Mode mode, std::uint16_t upstream_port)
    : impl_(std::make_unique<Impl>(mode, upstream_port)) {
  asio::co_spawn(impl_->io, impl_->accept_loop(), asio::detached);
  impl_->thread = std::thread([impl = impl_.get()] { impl->io.run(); });
}

FakeMonolith::~FakeMonolith() {
  impl_->io.stop();
  impl_->thread.join();
}

std::uint16_t FakeMonolith::port() const {
  return impl_->acceptor.local_endpoint().port();
}
int FakeMonolith::requests() const {
  return impl_->requests;
}
int FakeMonolith::connections_closed_by_us() const {
  return impl_->closed_by_us;
}
FakeMonolith::Seen FakeMonolith::last_request() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->last;
}

}  // namespace mysfits::testing
