#include "core/http_server.hpp"

#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

#include "core/metrics.hpp"
#include "core/service_routes.hpp"
#include "support/http_probe.hpp"

namespace mysfits::core {
namespace {

using testing::http;
using testing::raw_exchange;
using testing::status_of;

// Runs a real HttpServer on an ephemeral loopback port in a background thread.
class ServerFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    router_.get("/hello", [](const Request&) { return Response::json(200, R"({"hi":1})"); });
    router_.get("/items/{id}", [](const Request& r) {
      return Response::json(200, "{\"id\":\"" + std::string(r.param(0)) + "\"}");
    });
    router_.get("/big", [](const Request&) {
      return Response::json(200, std::string(64 << 20, ' '));  // more than socket buffers hold
    });
    router_.post("/echo",
                 [](const Request& r) { return Response::json(200, std::string(r.body())); });
    router_.post("/later", [this](const Request&, Responder responder) {
      // Completes from another thread, as a slow dependency would.
      std::lock_guard lock(later_mutex_);
      later_.push_back(std::thread([r = std::move(responder), this]() mutable {
        released_future_.wait();
        r.send(Response::json(200, R"({"late":true})"));
      }));
      later_started_.store(true);
    });
    router_.get("/forgotten", [](const Request&, Responder) {});
    router_.get("/header", [](const Request& r) {
      return Response::json(200, "\"" + std::string(r.header("x-test")) + "\"");
    });
    ServerOptions o;
    o.threads = 2;
    o.limits.max_body = 1024;
    o.limits.request_timeout = std::chrono::milliseconds(500);
    o.limits.idle_timeout = std::chrono::milliseconds(1000);
    o.limits.write_timeout = std::chrono::milliseconds(500);
    o.drain_timeout = std::chrono::seconds(5);
    server_ = std::make_unique<HttpServer>(o, metrics_);
    add_probe_routes(router_, *server_);
    port_ = server_->listen("127.0.0.1", 0, router_);
    server_->set_ready(true);
    thread_ = std::thread([this] { server_->run(); });
  }

  void TearDown() override {
    release_once();
    server_->shutdown();
    thread_.join();
    for (auto& t : later_)
      t.join();
  }

  void release_once() {
    if (!released_) {
      released_ = true;
      release_.set_value();
    }
  }

  Router router_;
  std::shared_ptr<Metrics> metrics_ = std::make_shared<Metrics>("test");
  std::unique_ptr<HttpServer> server_;
  std::uint16_t port_ = 0;
  std::thread thread_;
  std::promise<void> release_;
  std::shared_future<void> released_future_ = release_.get_future().share();
  bool released_ = false;
  std::mutex later_mutex_;
  std::vector<std::thread> later_;  // joined after the server has stopped
  std::atomic<bool> later_started_{false};
};

TEST_F(ServerFixture, ServesRouteWithJsonAndCorsAndRequestId) {
  auto r = http(port_, "GET", "/hello");
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"({"hi":1})");
  EXPECT_EQ(r.header("content-type"), "application/json");
  EXPECT_EQ(r.header("access-control-allow-origin"), "*");
  EXPECT_EQ(r.header("x-request-id").size(), 32u);
}

TEST_F(ServerFixture, KeepsAValidIncomingRequestId) {
  auto r = http(port_, "GET", "/hello", "", {{"X-Request-Id", "abc-123"}});
  EXPECT_EQ(r.header("x-request-id"), "abc-123");
  auto bad = http(port_, "GET", "/hello", "", {{"X-Request-Id", "has space"}});
  EXPECT_NE(bad.header("x-request-id"), "has space");
}

TEST_F(ServerFixture, UnknownRouteIs404AndWrongMethodIs405WithAllow) {
  auto r = http(port_, "GET", "/nope");
  EXPECT_EQ(r.status, 404);
  EXPECT_NE(r.body.find("\"error\":\"not_found\""), std::string::npos);
  auto m = http(port_, "DELETE", "/hello");
  EXPECT_EQ(m.status, 405);
  EXPECT_EQ(m.header("allow"), "GET, HEAD, OPTIONS");
}

TEST_F(ServerFixture, PreflightIsAnswered204) {
  auto r = http(port_, "OPTIONS", "/echo", "",
                {{"Origin", "http://x"},
                 {"Access-Control-Request-Method", "POST"},
                 {"Access-Control-Request-Headers", "content-type"}});
  EXPECT_EQ(r.status, 204);
  EXPECT_EQ(r.header("access-control-allow-methods"), "POST, OPTIONS");
  EXPECT_EQ(r.header("access-control-allow-headers"), "content-type");
}

TEST_F(ServerFixture, HeadGetsHeadersWithoutBody) {
  auto r = http(port_, "HEAD", "/hello");
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.header("content-length"), "8");
}

TEST_F(ServerFixture, PipelinedRequestsAreAnsweredInOrder) {
  std::string reqs;
  for (int i = 0; i < 3; ++i)
    reqs += "GET /items/n" + std::to_string(i) + " HTTP/1.1\r\nHost: x\r\n\r\n";
  reqs += "GET /items/last HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  auto out = raw_exchange(port_, reqs);
  auto p0 = out.find("\"n0\"");
  auto p1 = out.find("\"n1\"");
  auto p2 = out.find("\"n2\"");
  auto p3 = out.find("\"last\"");
  ASSERT_NE(p3, std::string::npos) << out;
  EXPECT_LT(p0, p1);
  EXPECT_LT(p1, p2);
  EXPECT_LT(p2, p3);
}

TEST_F(ServerFixture, OversizedBodyIs413) {
  auto r = http(port_, "POST", "/echo", std::string(2048, 'x'));
  EXPECT_EQ(r.status, 413);
}

TEST_F(ServerFixture, OversizedHeaderIs431AndLongTargetIs414) {
  auto r = http(port_, "GET", "/hello", "", {{"X-Big", std::string(17 * 1024, 'a')}});
  EXPECT_EQ(r.status, 431);
  std::string many;
  auto total = http(port_, "GET", "/hello", "",
                    {{"X-A", std::string(15000, 'a')},
                     {"X-B", std::string(15000, 'a')},
                     {"X-C", std::string(15000, 'a')},
                     {"X-D", std::string(15000, 'a')},
                     {"X-E", std::string(15000, 'a')}});
  EXPECT_EQ(total.status, 431);
  auto longt = http(port_, "GET", "/items/" + std::string(17 * 1024, 'a'));
  EXPECT_EQ(longt.status, 414);
}

// One header larger than every header together may be: Beast has parsed the request line by
// then, which must not make the answer "request line too long".
TEST_F(ServerFixture, OneHeaderOverTheTotalLimitIs431Not414) {
  auto out = raw_exchange(port_, "GET /hello HTTP/1.1\r\nHost: x\r\nX-Big: " +
                                     std::string(70 * 1024, 'a') + "\r\n\r\n");
  EXPECT_EQ(status_of(out), 431) << out.substr(0, 200);
  EXPECT_NE(out.find("request headers too large"), std::string::npos) << out.substr(0, 200);
}

TEST_F(ServerFixture, GarbageIs400AndServerKeepsServing) {
  auto out = raw_exchange(port_, "\x01\x02 garbage \r\n\r\n");
  EXPECT_EQ(status_of(out), 400) << out;
  EXPECT_EQ(http(port_, "GET", "/hello").status, 200);
}

TEST_F(ServerFixture, HalfARequestIsCutOffAfterTheRequestTimeout) {
  auto start = std::chrono::steady_clock::now();
  auto out = raw_exchange(port_, "GET /hello HTTP/1.1\r\nHost: x\r\n", std::chrono::seconds(5));
  auto waited = std::chrono::steady_clock::now() - start;
  EXPECT_LT(waited, std::chrono::seconds(4)) << "connection was held open";
  EXPECT_EQ(http(port_, "GET", "/hello").status, 200);
}

TEST_F(ServerFixture, IdleKeepAliveConnectionIsClosedAfterTheIdleTimeout) {
  auto start = std::chrono::steady_clock::now();
  // raw_exchange reads until the server closes (or 5 s pass): the answer, then the idle close.
  auto out = raw_exchange(port_, "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n", std::chrono::seconds(5));
  auto waited = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(status_of(out), 200) << out;
  EXPECT_GE(waited, std::chrono::milliseconds(900));
  EXPECT_LT(waited, std::chrono::seconds(4)) << "idle connection was held open";
}

TEST_F(ServerFixture, ClientThatStopsReadingIsCutOffAfterTheWriteTimeout) {
  boost::asio::io_context io;
  boost::asio::ip::tcp::socket client(io);
  client.connect({boost::asio::ip::make_address("127.0.0.1"), port_});
  std::string request = "GET /big HTTP/1.1\r\nHost: x\r\n\r\n";
  boost::asio::write(client, boost::asio::buffer(request));
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (server_->open_connections() == 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  ASSERT_EQ(server_->open_connections(), 1u);
  // Never read: the server's write stalls on full buffers until its write timeout ends it. The
  // deadline is generous because building the 64 MiB answer takes seconds under ThreadSanitizer;
  // a write that never times out holds the connection past any deadline.
  deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (server_->open_connections() != 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_EQ(server_->open_connections(), 0u) << "a stalled write held the connection";
  EXPECT_EQ(http(port_, "GET", "/hello").status, 200);
}

TEST_F(ServerFixture, ExpectContinueGetsInterimResponse) {
  auto out = raw_exchange(port_,
                          "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n"
                          "Expect: 100-continue\r\nConnection: close\r\n\r\n{}");
  EXPECT_EQ(out.rfind("HTTP/1.1 100 Continue\r\n\r\n", 0), 0u) << out;
  EXPECT_NE(out.find("HTTP/1.1 200"), std::string::npos);
}

TEST_F(ServerFixture, HandlerThatNeverRespondsGets500) {
  EXPECT_EQ(http(port_, "GET", "/forgotten").status, 500);
}

TEST_F(ServerFixture, HeadersAreReadCaseInsensitively) {
  EXPECT_EQ(http(port_, "GET", "/header", "", {{"X-TEST", "v"}}).body, "\"v\"");
}

TEST_F(ServerFixture, ShutdownWaitsForInFlightRequestAndTurnsNotReady) {
  auto in_flight = std::async(std::launch::async, [this] { return http(port_, "POST", "/later"); });
  // Wait until the request is inside the handler.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!later_started_.load() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  ASSERT_TRUE(later_started_.load());
  server_->shutdown();
  EXPECT_FALSE(server_->ready());
  release_once();
  auto r = in_flight.get();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"({"late":true})");
  EXPECT_EQ(r.header("connection"), "close");
}

TEST_F(ServerFixture, PostToEveryWorkerRunsOnEachWorkersThreadThenDoneOnce) {
  std::array<std::atomic<int>, 2> seen{-2, -2};
  std::atomic<int> dones{0};
  std::promise<void> done;
  server_->post_to_every_worker(
      [&](int index) { seen.at(static_cast<std::size_t>(index)) = server_->worker_index(); },
      [&] {
        if (dones.fetch_add(1) == 0)
          done.set_value();
      });
  ASSERT_EQ(done.get_future().wait_for(std::chrono::seconds(5)), std::future_status::ready);
  EXPECT_EQ(seen[0].load(), 0);
  EXPECT_EQ(seen[1].load(), 1);
  EXPECT_EQ(dones.load(), 1);
  EXPECT_EQ(server_->worker_index(), -1) << "the test's thread is no worker";
}

TEST_F(ServerFixture, MetricsCountRequestsByRoute) {
  http(port_, "GET", "/hello");
  http(port_, "GET", "/hello");
  auto text = metrics_->render();
  EXPECT_NE(text.find(R"(route="GET /hello",status="200"} 2)"), std::string::npos) << text;
}

TEST_F(ServerFixture, ReadyzFollowsReadiness) {
  EXPECT_EQ(http(port_, "GET", "/readyz").status, 200);
  server_->set_ready(false);
  EXPECT_EQ(http(port_, "GET", "/readyz").status, 503);
  EXPECT_EQ(http(port_, "GET", "/healthz").status, 200);
}

// Connections that arrive together are accepted in a batch; the connection limit still holds
// for every one of them: the first ones are served, those beyond the limit closed unanswered.
TEST(HttpServerLimits, ConnectionsArrivingTogetherBeyondTheLimitAreClosed) {
  constexpr std::size_t kLimit = 4;
  constexpr std::size_t kClients = 12;
  ServerOptions options;
  options.threads = 1;
  options.limits.max_connections = kLimit;
  HttpServer server(options);
  Router router;
  router.get("/hello", [](const Request&) { return Response::json(200, R"({"hi":1})"); });
  const std::uint16_t port = server.listen("127.0.0.1", 0, router);
  // Every client is in the listen backlog before the server's loop accepts any of them.
  boost::asio::io_context io;
  std::vector<boost::asio::ip::tcp::socket> clients;
  for (std::size_t i = 0; i < kClients; ++i) {
    clients.emplace_back(io);
    clients.back().connect({boost::asio::ip::make_address("127.0.0.1"), port});
  }
  std::thread serving([&server] { server.run(); });
  const std::string request = "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n";
  std::size_t answered = 0;
  for (auto& client : clients) {
    boost::system::error_code ec;
    boost::asio::write(client, boost::asio::buffer(request), ec);
    std::array<char, 512> reply{};
    std::size_t n = ec ? 0 : client.read_some(boost::asio::buffer(reply), ec);
    if (!ec && status_of(std::string(reply.data(), n)) == 200)
      ++answered;
  }
  server.shutdown();
  serving.join();
  EXPECT_EQ(answered, kLimit);
}

}  // namespace
}  // namespace mysfits::core
