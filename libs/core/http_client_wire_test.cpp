// HttpClient against an upstream that answers each request with scripted bytes: what the client
// writes, and how it reads framings and interim answers a normal server rarely sends.
#include <gtest/gtest.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/http_client.hpp"
#include "core/io_context.hpp"

namespace mysfits::core {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;
constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

struct Reply {
  std::string bytes;    // written as they are
  bool close = false;   // then the connection is closed
  bool silent = false;  // nothing is written; the connection stays open
};

class ScriptedUpstream {
 public:
  explicit ScriptedUpstream(std::vector<Reply> replies)
      : replies_(replies.begin(), replies.end()),
        acceptor_(io_, {asio::ip::make_address("127.0.0.1"), 0}) {
    asio::co_spawn(io_, accept_loop(), asio::detached);
    thread_ = std::thread([this] { io_.run(); });
  }
  ~ScriptedUpstream() {
    io_.stop();
    thread_.join();
  }
  ScriptedUpstream(const ScriptedUpstream&) = delete;
  ScriptedUpstream& operator=(const ScriptedUpstream&) = delete;

  Endpoint endpoint() const {
    return Endpoint{"http", "127.0.0.1", acceptor_.local_endpoint().port()};
  }
  int accepted() const {
    std::lock_guard lock(mutex_);
    return accepted_;
  }
  std::vector<std::string> requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }

 private:
  asio::awaitable<void> accept_loop() {
    for (;;) {
      auto [ec, socket] = co_await acceptor_.async_accept(kNoThrow);
      if (ec) {
        co_return;
      }
      {
        std::lock_guard lock(mutex_);
        ++accepted_;
      }
      asio::co_spawn(io_, session(std::move(socket)), asio::detached);
    }
  }

  asio::awaitable<void> session(tcp::socket socket) {
    std::string buffer;
    for (;;) {
      auto [ec, head_size] = co_await asio::async_read_until(socket, asio::dynamic_buffer(buffer),
                                                             "\r\n\r\n", kNoThrow);
      if (ec) {
        co_return;
      }
      std::size_t length = 0;
      if (auto at = buffer.find("Content-Length: "); at != std::string::npos && at < head_size) {
        length = std::stoul(buffer.substr(at + 16));
      }
      while (buffer.size() < head_size + length) {
        char chunk[512];
        auto [read_ec, n] = co_await socket.async_read_some(asio::buffer(chunk), kNoThrow);
        if (read_ec) {
          co_return;
        }
        buffer.append(chunk, n);
      }
      Reply reply;
      {
        std::lock_guard lock(mutex_);
        requests_.push_back(buffer.substr(0, head_size + length));
        if (!replies_.empty()) {
          reply = replies_.front();
          replies_.pop_front();
        }
      }
      buffer.erase(0, head_size + length);
      if (reply.silent) {
        continue;
      }
      co_await asio::async_write(socket, asio::buffer(reply.bytes), kNoThrow);
      if (reply.close) {
        co_return;
      }
    }
  }

  mutable std::mutex mutex_;
  std::deque<Reply> replies_;
  std::vector<std::string> requests_;
  int accepted_ = 0;
  asio::io_context io_;
  tcp::acceptor acceptor_;
  std::thread thread_;
};

const std::string kOk = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

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

ClientRequest request(std::string method, std::string target, std::string body = "") {
  ClientRequest r;
  r.method = std::move(method);
  r.target = std::move(target);
  r.body = std::move(body);
  return r;
}

TEST(HttpClientWire, WritesTheHeadItsFramingAndTheBodyAsOneRequest) {
  ScriptedUpstream upstream({{kOk}});
  asio::io_context io;
  IoScope scope(io);
  HttpClient client(upstream.endpoint());
  auto r = request("POST", "/mysfits/1/like?x=1", "{\"a\":1}");
  r.headers = {{"X-Request-Id", "abc"}, {"Content-Length", "99"}};
  ASSERT_TRUE(fetch(io, client, std::move(r)).ok());
  ASSERT_EQ(upstream.requests().size(), 1u);
  EXPECT_EQ(upstream.requests()[0],
            "POST /mysfits/1/like?x=1 HTTP/1.1\r\nHost: " + upstream.endpoint().host_header() +
                "\r\nX-Request-Id: abc\r\nContent-Length: 7\r\n\r\n"
                "{\"a\":1}");
}

TEST(HttpClientWire, InterimAnswersAreSkippedForTheFinalOne) {
  ScriptedUpstream upstream(
      {{"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n" + kOk},
       {kOk}});
  asio::io_context io;
  IoScope scope(io);
  HttpClient client(upstream.endpoint());
  auto response = fetch(io, client, request("GET", "/"));
  ASSERT_TRUE(response.ok()) << response.error().message;
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "ok");
  EXPECT_EQ(response->header("Link"), "");
  ASSERT_TRUE(fetch(io, client, request("GET", "/")).ok());
  EXPECT_EQ(upstream.accepted(), 1);
}

TEST(HttpClientWire, ChunkedAndUntilCloseBodiesAreReadWhole) {
  ScriptedUpstream upstream(
      {{"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nchun\r\n3\r\nked\r\n0\r\n\r\n"},
       {"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end", true},
       {kOk}});
  asio::io_context io;
  IoScope scope(io);
  HttpClient client(upstream.endpoint());
  auto chunked = fetch(io, client, request("GET", "/"));
  ASSERT_TRUE(chunked.ok()) << chunked.error().message;
  EXPECT_EQ(chunked->body, "chunked");
  auto until_close = fetch(io, client, request("GET", "/"));
  ASSERT_TRUE(until_close.ok()) << until_close.error().message;
  EXPECT_EQ(until_close->body, "until the end");
  ASSERT_TRUE(fetch(io, client, request("GET", "/")).ok());
  EXPECT_EQ(upstream.accepted(), 2) << "a body framed by the close ends that connection";
}

TEST(HttpClientWire, ConnectionCloseOrBytesPastTheResponseEndTheConnection) {
  ScriptedUpstream upstream(
      {{"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok"},
       {kOk + "HTTP/1.1 200 OK\r\n"},
       {kOk}});
  asio::io_context io;
  IoScope scope(io);
  HttpClient client(upstream.endpoint());
  for (int i = 0; i < 3; ++i) {
    auto response = fetch(io, client, request("GET", "/"));
    ASSERT_TRUE(response.ok()) << i << ": " << response.error().message;
    EXPECT_EQ(response->body, "ok");
  }
  EXPECT_EQ(upstream.accepted(), 3);
}

TEST(HttpClientWire, AnswerToHeadEndsAtItsHeaderAndTheConnectionIsKept) {
  ScriptedUpstream upstream({{"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n"}, {kOk}});
  asio::io_context io;
  IoScope scope(io);
  HttpClient client(upstream.endpoint());
  auto head = fetch(io, client, request("HEAD", "/"));
  ASSERT_TRUE(head.ok()) << head.error().message;
  EXPECT_EQ(head->header("Content-Length"), "1000");
  EXPECT_TRUE(head->body.empty());
  auto get = fetch(io, client, request("GET", "/"));
  ASSERT_TRUE(get.ok()) << get.error().message;
  EXPECT_EQ(get->body, "ok");
  EXPECT_EQ(upstream.accepted(), 1);
}

TEST(HttpClientWire, AShortDeadlineSentAfterALongOneStillEndsOnTime) {
  ScriptedUpstream upstream({{"", false, true}, {"", false, true}});
  asio::io_context io;
  IoScope scope(io);
  HttpClient client(upstream.endpoint());
  auto slow = request("GET", "/slow");
  slow.timeout = 5s;
  std::optional<Result<ClientResponse>> slow_result;
  client.send(std::move(slow),
              [&](Result<ClientResponse> r) { slow_result.emplace(std::move(r)); });
  auto fast = request("GET", "/fast");
  fast.timeout = 200ms;
  const auto start = std::chrono::steady_clock::now();
  auto response = fetch(io, client, std::move(fast));
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().code, Errc::kTimeout) << response.error().message;
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
  EXPECT_FALSE(slow_result.has_value());
}

}  // namespace
}  // namespace mysfits::core
