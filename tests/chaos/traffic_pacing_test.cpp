// The traffic generator's open-loop pacing: a stall shows in the latency of every request that
// was due during it, not only in the one request that met it.
#include <gtest/gtest.h>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <thread>

#include "chaos/traffic.hpp"

namespace mysfits::chaos {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;
constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

// Answers every request on 127.0.0.1 with 200 at once, except each connection's first, which
// it holds for `first_delay`: a server that stalls once.
class StallingServer {
 public:
  explicit StallingServer(std::chrono::milliseconds first_delay)
      : acceptor_(io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)),
        first_delay_(first_delay) {
    asio::co_spawn(io_, accept(), asio::detached);
    thread_ = std::thread([this] { io_.run(); });
  }
  ~StallingServer() {
    io_.stop();
    thread_.join();
  }
  StallingServer(const StallingServer&) = delete;
  StallingServer& operator=(const StallingServer&) = delete;

  std::uint16_t port() const { return acceptor_.local_endpoint().port(); }

 private:
  asio::awaitable<void> accept() {
    for (;;) {
      auto [ec, socket] = co_await acceptor_.async_accept(kNoThrow);
      if (ec)
        co_return;
      asio::co_spawn(io_, serve(std::move(socket)), asio::detached);
    }
  }

  asio::awaitable<void> serve(tcp::socket socket) {
    beast::flat_buffer buffer;
    asio::steady_timer stall(io_);
    for (bool first = true;; first = false) {
      http::request<http::string_body> request;
      auto [read_ec, read_n] = co_await http::async_read(socket, buffer, request, kNoThrow);
      if (read_ec)
        co_return;
      if (first) {
        stall.expires_after(first_delay_);
        co_await stall.async_wait(kNoThrow);
      }
      http::response<http::string_body> response{http::status::ok, 11};
      response.body() = "{}";
      response.prepare_payload();
      auto [write_ec, write_n] = co_await http::async_write(socket, response, kNoThrow);
      if (write_ec)
        co_return;
    }
  }

  asio::io_context io_;
  tcp::acceptor acceptor_;
  std::chrono::milliseconds first_delay_;
  std::thread thread_;
};

TEST(TrafficPacing, LatencyCountsFromWhenARequestWasDueNotFromWhenItWentOut) {
  StallingServer server(200ms);
  TrafficOptions options;
  options.port = server.port();
  options.connections = 1;
  options.rate = 100;  // one request due every 10 ms
  options.duration = 1s;
  options.read_percent = 100;
  auto report = run_traffic(options, {"a"});
  ASSERT_EQ(report.failed, 0u) << describe(report);
  ASSERT_GE(report.requests, 50u) << describe(report);

  // About 20 requests fell due during the 200 ms stall and waited for it: the one due at 10 ms
  // waited 190 ms, the one due at 100 ms 100 ms. Timed from when each finally went out, all but
  // the first would look instant and the 90th percentile would be well under a millisecond.
  EXPECT_GE(report.percentile(90), 50.0) << describe(report);
  EXPECT_GE(report.percentile(100), 190.0) << describe(report);
}

}  // namespace
}  // namespace mysfits::chaos
