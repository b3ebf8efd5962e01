// HttpClient against tiny in-process upstreams (a raw Asio acceptor on its own thread) that
// misbehave on purpose: close between requests, drop a request, stay silent, answer garbage.
#include "core/http_client.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <optional>
#include <thread>

#include "core/io_context.hpp"

namespace mysfits::core {
namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;
constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

enum class Behaviour {
  kKeepAlive,           // answers every request, keeps the connection
  kCloseAfterResponse,  // answers (without Connection: close), then closes
  kDropSecondRequest,   // per connection: answers the first request, reads the second, closes
  kResetSecondRequest,  // per connection: answers the first, closes with the second unread
  kSilent,              // reads requests, never answers
  kGarbage,             // answers with bytes that are not HTTP
};

class FakeUpstream {
 public:
  explicit FakeUpstream(Behaviour behaviour, std::chrono::milliseconds delay = 0ms)
      : behaviour_(behaviour),
        delay_(delay),
        acceptor_(io_, {asio::ip::make_address("127.0.0.1"), 0}) {
    asio::co_spawn(io_, accept_loop(), asio::detached);
    thread_ = std::thread([this] { io_.run(); });
  }
  ~FakeUpstream() {
    io_.stop();
    thread_.join();
  }
  FakeUpstream(const FakeUpstream&) = delete;
  FakeUpstream& operator=(const FakeUpstream&) = delete;

  Endpoint endpoint() const {
    return Endpoint{"http", "127.0.0.1", acceptor_.local_endpoint().port()};
  }
  int accepted() const { return accepted_; }
  int requests() const { return requests_; }
  int open() const { return open_; }
  int max_open() const { return max_open_; }

 private:
  asio::awaitable<void> accept_loop() {
    for (;;) {
      auto [ec, socket] = co_await acceptor_.async_accept(kNoThrow);
      if (ec) {
        co_return;
      }
      ++accepted_;
      asio::co_spawn(io_, session(std::move(socket)), asio::detached);
    }
  }

  asio::awaitable<void> session(tcp::socket socket) {
    max_open_ = std::max(max_open_.load(), ++open_);
    boost::beast::flat_buffer buffer;
    for (int index = 0;; ++index) {
      if (behaviour_ == Behaviour::kResetSecondRequest && index == 1) {
        co_await socket.async_wait(tcp::socket::wait_read, kNoThrow);
        break;  // closing with unread bytes makes the kernel send a reset
      }
      http::request<http::string_body> request;
      auto [ec, unused] = co_await http::async_read(socket, buffer, request, kNoThrow);
      if (ec) {
        break;
      }
      ++requests_;
      if (behaviour_ == Behaviour::kSilent ||
          (behaviour_ == Behaviour::kDropSecondRequest && index == 1)) {
        if (behaviour_ == Behaviour::kSilent) {
          co_await http::async_read(socket, buffer, request,
                                    kNoThrow);  // until the client gives up
        }
        break;
      }
      std::string out = "HELLO there\r\n\r\n";
      if (behaviour_ != Behaviour::kGarbage) {
        if (delay_.count() > 0) {
          asio::steady_timer timer(io_, delay_);
          co_await timer.async_wait(kNoThrow);
        }
        const std::string body =
            std::string(request.method_string()) + " " + std::string(request.target()) +
            " host=" + std::string(request[http::field::host]) + " body=" + request.body();
        out = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " +
              std::to_string(body.size()) + "\r\n\r\n" + body;
      }
      co_await asio::async_write(socket, asio::buffer(out), kNoThrow);
      if (behaviour_ == Behaviour::kCloseAfterResponse || behaviour_ == Behaviour::kGarbage) {
        break;
      }
    }
    --open_;
  }

  Behaviour behaviour_;
  std::chrono::milliseconds delay_;
  asio::io_context io_;
  tcp::acceptor acceptor_;
  std::thread thread_;
  std::atomic<int> accepted_{0};
  std::atomic<int> requests_{0};
  std::atomic<int> open_{0};
  std::atomic<int> max_open_{0};
};

// Runs this thread's io_context until the callback has run.
Result<ClientResponse> fetch(asio::io_context& io, HttpClient& client, ClientRequest request) {
  std::optional<Result<ClientResponse>> result;
  client.send(std::move(request), [&](Result<ClientResponse> r) { result.emplace(std::move(r)); });
  io.restart();
  while (!result && io.run_one() > 0) {
  }
  if (!result) {
    return Error{Errc::kInternal, "the callback never ran"};
  }
  return std::move(*result);
}

ClientRequest post(std::string target, std::string body = "") {
  ClientRequest request;
  request.method = "POST";
  request.target = std::move(target);
  request.body = std::move(body);
  return request;
}

std::uint16_t closed_port() {
  asio::io_context io;
  tcp::acceptor acceptor(io, {asio::ip::make_address("127.0.0.1"), 0});
  return acceptor.local_endpoint().port();  // closed again when acceptor goes
}

TEST(HttpClient, SequentialRequestsReuseOneConnection) {
  FakeUpstream upstream(Behaviour::kKeepAlive);
  asio::io_context io;
  IoScope scope(io);
  HttpClient client(upstream.endpoint());
  for (int i = 0; i < 20; ++i) {
    auto response = fetch(io, client, post("/mysfits/a/fulfill-like", "n"));
    ASSERT_TRUE(response.ok()) << response.error().message;
    EXPECT_EQ(response->status, 200);
  }
  EXPECT_EQ(upstream.accepted(), 1);
  EXPECT_EQ(client.stats().connections_opened, 1u);
  EXPECT_EQ(client.stats().idle, 1u);
}

TEST(HttpClient, SendsMethodTargetHostAndBody) {
  FakeUpstream upstream(Behaviour::kKeepAlive);
  asio::io_context io;
  IoScope scope(io);
  HttpClient client(upstream.endpoint());
  auto response = fetch(io, client, post("/x?y=1", "abc"));
  ASSERT_TRUE(response.ok()) << response.error().message;
  EXPECT_EQ(response->body, "POST /x?y=1 host=" + upstream.endpoint().host_header() + " body=abc");
  EXPECT_EQ(response->header("content-type"), "text/plain");
}

TEST(HttpClient, CallbackNeverRunsInsideSend) {
  asio::io_context io;
  IoScope scope(io);
  HttpClient client(Endpoint{"http", "127.0.0.1", closed_port()});
  bool inside_send = true;
  bool called = false;
  client.send(post("/"), [&](Result<ClientResponse>) {
    EXPECT_FALSE(inside_send);
    called = true;
  });
  inside_send = false;
  while (!called && io.run_one() > 0) {
  }
  EXPECT_TRUE(called);
}

TEST(HttpClient, ServerClosingKeepAliveBetweenRequestsCausesNoError) {
  FakeUpstream upstream(Behaviour::kCloseAfterResponse);
  asio::io_context io;
  IoScope scope(io);
  HttpClient client(upstream.endpoint());
  for (int i = 0; i < 10; ++i) {
    auto response = fetch(io, client, post("/like"));
    ASSERT_TRUE(response.ok()) << i << ": " << response.error().message;
  }
  EXPECT_EQ(upstream.requests(), 10);                 // each processed exactly once
  EXPECT_GE(client.stats().connections_opened, 10u);  // more when a close raced a reuse
}

TEST(HttpClient, PostIsNeverReplayedWhenAReusedConnectionDiesUnanswered) {
  FakeUpstream upstream(Behaviour::kDropSecondRequest);
  asio::io_context io;
  IoScope scope(io);
  HttpClient client(upstream.endpoint());
  ASSERT_TRUE(fetch(io, client, post("/like")).ok());
  auto second = fetch(io, client, post("/like"));
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().code, Errc::kBadGateway);
  EXPECT_EQ(upstream.requests(), 2);  // the server may have acted on it: not sent again
  EXPECT_EQ(client.stats().retries, 0u);
}

TEST(HttpClient, GetIsReplayedOnAFreshConnectionWhenAReusedOneDiesUnanswered) {
  FakeUpstream upstream(Behaviour::kDropSecondRequest);
  asio::io_context io;
  IoScope scope(io);
  HttpClient client(upstream.endpoint());
  ASSERT_TRUE(fetch(io, client, ClientRequest{}).ok());
  auto second = fetch(io, client, ClientRequest{});
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_EQ(upstream.requests(), 3);
  EXPECT_EQ(upstream.accepted(), 2);
  EXPECT_EQ(client.stats().retries, 1u);
}

TEST(HttpClient, RefusedConnectionIsBadGatewayAfterBoundedRetries) {
  asio::io_context io;
  IoScope scope(io);
  HttpClient client(Endpoint{"http", "127.0.0.1", closed_port()});
  const auto start = std::chrono::steady_clock::now();
  auto response = fetch(io, client, post("/like"));
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().code, Errc::kBadGateway);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);  // the services allow 2 s
  EXPECT_EQ(client.stats().retries, 2u);
  EXPECT_EQ(client.stats().open, 0u);
}

TEST(HttpClient, SilentServerTimesOutAtTheDeadline) {
  FakeUpstream upstream(Behaviour::kSilent);
  asio::io_context io;
  IoScope scope(io);
  HttpClient client(upstream.endpoint());
  auto request = post("/like");
  request.timeout = 300ms;
  const auto start = std::chrono::steady_clock::now();
  auto response = fetch(io, client, request);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().code, Errc::kTimeout);
  EXPECT_GE(elapsed, 300ms);
  EXPECT_LT(elapsed, 3s);
  EXPECT_EQ(upstream.requests(), 1);
  EXPECT_EQ(client.stats().open, 0u);  // a timed-out connection is never reused
}

TEST(HttpClient, GarbageResponseIsBadGateway) {
  FakeUpstream upstream(Behaviour::kGarbage);
  asio::io_context io;
  IoScope scope(io);
  HttpClient client(upstream.endpoint());
  auto response = fetch(io, client, post("/like"));
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().code, Errc::kBadGateway);
  EXPECT_EQ(upstream.requests(), 1);
}

TEST(HttpClient, ManyConcurrentRequestsStayWithinTheConnectionBound) {
  FakeUpstream upstream(Behaviour::kKeepAlive, 1ms);
  asio::io_context io;
  IoScope scope(io);
  ClientOptions options;
  options.max_open_per_thread = 4;
  HttpClient client(upstream.endpoint(), options);
  constexpr int kRequests = 200;
  int ok = 0;
  int done = 0;
  for (int i = 0; i < kRequests; ++i) {
    client.send(post("/like"), [&](Result<ClientResponse> r) {
      ok += r.ok() && r->status == 200 ? 1 : 0;
      ++done;
    });
  }
  while (done < kRequests && io.run_one() > 0) {
  }
  EXPECT_EQ(ok, kRequests);
  EXPECT_LE(upstream.max_open(), 4);
  EXPECT_LE(client.stats().connections_opened, 4u);
  EXPECT_EQ(upstream.requests(), kRequests);
}

TEST(HttpClient, WaitingForAConnectionCountsAgainstTheDeadline) {
  FakeUpstream upstream(Behaviour::kSilent);
  asio::io_context io;
  IoScope scope(io);
  ClientOptions options;
  options.max_open_per_thread = 1;
  options.request_timeout = 300ms;
  HttpClient client(upstream.endpoint(), options);
  std::vector<Errc> codes;
  for (int i = 0; i < 3; ++i) {
    // The first holds the only connection for 300 ms; the others' deadlines (100 ms) pass while
    // they wait, so they time out without a connection of their own. (With equal deadlines a
    // waiter may be handed the freed slot a few microseconds before its own deadline.)
    auto request = post("/like");
    if (i > 0)
      request.timeout = 100ms;
    client.send(std::move(request), [&](Result<ClientResponse> r) {
      codes.push_back(r.ok() ? Errc::kInternal : r.error().code);
    });
  }
  while (codes.size() < 3 && io.run_one() > 0) {
  }
  EXPECT_EQ(codes, std::vector<Errc>(3, Errc::kTimeout));
  EXPECT_EQ(upstream.accepted(), 1);
}

TEST(HttpClient, IdleConnectionsCloseAfterTheIdleTimeout) {
  FakeUpstream upstream(Behaviour::kKeepAlive);
  asio::io_context io;
  IoScope scope(io);
  ClientOptions options;
  options.idle_timeout = 50ms;
  HttpClient client(upstream.endpoint(), options);
  ASSERT_TRUE(fetch(io, client, ClientRequest{}).ok());
  EXPECT_EQ(client.stats().idle, 1u);
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while ((client.stats().open > 0 || upstream.open() > 0) &&
         std::chrono::steady_clock::now() < deadline) {
    io.restart();
    io.run_for(10ms);
  }
  EXPECT_EQ(client.stats().open, 0u);
  EXPECT_EQ(upstream.open(), 0);
}

TEST(HttpClient, MayOutliveTheIoContextItRanOn) {
  FakeUpstream upstream(Behaviour::kKeepAlive);
  HttpClient client(upstream.endpoint());
  {
    asio::io_context io;
    IoScope scope(io);
    ASSERT_TRUE(fetch(io, client, ClientRequest{}).ok());
  }
  asio::io_context io;
  IoScope scope(io);
  ASSERT_TRUE(fetch(io, client, ClientRequest{}).ok());
  EXPECT_EQ(client.stats().connections_opened, 2u);
}

TEST(HttpClient, PostIsReplayedWhenTheServerResetsTheConnectionWithTheRequestUnread) {
  FakeUpstream upstream(Behaviour::kResetSecondRequest);
  asio::io_context io;
  IoScope scope(io);
  HttpClient client(upstream.endpoint());
  ASSERT_TRUE(fetch(io, client, post("/like")).ok());
  auto second = fetch(io, client, post("/like"));
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_EQ(upstream.requests(), 2);  // each read, so each processed, once
  EXPECT_EQ(upstream.accepted(), 2);
  EXPECT_EQ(client.stats().retries, 1u);
}

TEST(HttpClient, PostDeclaredIdempotentIsReplayedOnAFreshConnection) {
  FakeUpstream upstream(Behaviour::kDropSecondRequest);
  asio::io_context io;
  IoScope scope(io);
  HttpClient client(upstream.endpoint());
  ASSERT_TRUE(fetch(io, client, post("/read")).ok());
  auto request = post("/read");
  request.idempotent = true;
  auto second = fetch(io, client, request);
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_EQ(client.stats().retries, 1u);
}

TEST(HttpClient, ConnectTimeoutIsBadGatewayAndNotRetried) {
  // A listener with a full accept queue: the kernel drops further SYNs, so connect hangs.
  asio::io_context listener_io;
  tcp::acceptor acceptor(listener_io);
  acceptor.open(tcp::v4());
  acceptor.bind({asio::ip::make_address("127.0.0.1"), 0});
  acceptor.listen(0);
  const tcp::endpoint target = acceptor.local_endpoint();
  std::vector<tcp::socket> fillers;
  for (int i = 0; i < 2; ++i) {
    fillers.emplace_back(listener_io);
    fillers.back().async_connect(target, [](const boost::system::error_code&) {});
  }
  asio::io_context io;
  IoScope scope(io);
  ClientOptions options;
  options.connect_timeout = 200ms;
  HttpClient client(Endpoint{"http", "127.0.0.1", target.port()}, options);
  const auto start = std::chrono::steady_clock::now();
  auto response = fetch(io, client, post("/like"));
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().code, Errc::kBadGateway) << response.error().message;
  EXPECT_GE(std::chrono::steady_clock::now() - start, 200ms);
  EXPECT_EQ(client.stats().retries, 0u);
}

TEST(HttpClient, SendBlockingWorksWithoutAnIoContextAndReusesItsConnection) {
  FakeUpstream upstream(Behaviour::kKeepAlive);
  HttpClient client(upstream.endpoint());
  for (int i = 0; i < 3; ++i) {
    auto response = client.send_blocking(post("/x", "b"));
    ASSERT_TRUE(response.ok()) << response.error().message;
    EXPECT_EQ(response->status, 200);
  }
  EXPECT_EQ(upstream.accepted(), 1);
}

}  // namespace
}  // namespace mysfits::core
