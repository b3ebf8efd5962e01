// Request smuggling and header tricks at the server's edge: every ambiguous framing is refused
// with a 400 (or the connection closed), the handler never runs, and the server keeps serving.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "core/http_server.hpp"
#include "core/metrics.hpp"
#include "support/http_probe.hpp"

namespace mysfits::core {
namespace {

using testing::raw_exchange;
using testing::status_of;

class FramingFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    router_.post("/write", [this](const Request& r) {
      ++writes_;
      return Response::json(200, "{\"bytes\":" + std::to_string(r.body().size()) + "}");
    });
    router_.get("/read", [](const Request&) { return Response::json(200, "{}"); });
    ServerOptions o;
    o.threads = 1;
    o.limits.request_timeout = std::chrono::milliseconds(500);
    server_ = std::make_unique<HttpServer>(o, std::make_shared<Metrics>("test"));
    port_ = server_->listen("127.0.0.1", 0, router_);
    server_->set_ready(true);
    thread_ = std::thread([this] { server_->run(); });
  }
  void TearDown() override {
    server_->shutdown();
    thread_.join();
  }

  Router router_;
  std::unique_ptr<HttpServer> server_;
  std::uint16_t port_ = 0;
  std::thread thread_;
  std::atomic<int> writes_{0};
};

struct Case {
  const char* name;
  std::string bytes;
};

TEST_F(FramingFixture, AmbiguousFramingIsRefusedAndChangesNothing) {
  const std::string head = "POST /write HTTP/1.1\r\nHost: x\r\n";
  const std::vector<Case> cases = {
      {"CL and TE", head + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"},
      {"TE and CL", head + "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n"},
      {"conflicting CL", head + "Content-Length: 0\r\nContent-Length: 5\r\n\r\nhello"},
      {"CL list", head + "Content-Length: 5, 0\r\n\r\nhello"},
      {"negative CL", head + "Content-Length: -1\r\n\r\n"},
      {"TE not chunked", head + "Transfer-Encoding: gzip\r\n\r\n0\r\n\r\n"},
      {"TE chunked not last", head + "Transfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n"},
      {"TE gzip, chunked", head + "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n"},
      {"two TE fields",
       head + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"},
      {"TE on HTTP/1.0",
       "POST /write HTTP/1.0\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"},
      {"obs-fold", head + "X-Note: a\r\n b\r\nContent-Length: 0\r\n\r\n"},
      {"obs-fold tab", head + "X-Note: a\r\n\tb\r\nContent-Length: 0\r\n\r\n"},
      {"obs-fold into TE", head + "X-Note: a\r\n Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n"},
      {"space before colon", head + "Content-Length : 0\r\n\r\n"},
      {"NUL in header", head + std::string("X-Note: a\0b\r\nContent-Length: 0\r\n\r\n", 34)},
      {"CR in header", head + "X-Note: a\rb\r\nContent-Length: 0\r\n\r\n"},
      {"NUL in path", std::string("POST /wr\0ite HTTP/1.1\r\nHost: x\r\n\r\n", 35)},
      {"bad chunk size", head + "Transfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n"},
  };
  for (const auto& c : cases) {
    std::string answer = raw_exchange(port_, c.bytes, std::chrono::seconds(3));
    int status = status_of(answer);
    EXPECT_TRUE(status == 400 || (status == 0 && answer.empty()))
        << c.name << " answered: " << answer.substr(0, 120);
    EXPECT_EQ(writes_.load(), 0) << c.name << " reached the handler";
  }
  // Still serving, and a well-formed chunked request is fine.
  std::string ok = raw_exchange(port_, head +
                                           "Transfer-Encoding: chunked\r\nConnection: close\r\n"
                                           "\r\n5\r\nhello\r\n0\r\n\r\n");
  EXPECT_EQ(status_of(ok), 200) << ok;
  EXPECT_NE(ok.find("{\"bytes\":5}"), std::string::npos);
  EXPECT_EQ(writes_.load(), 1);
}

TEST_F(FramingFixture, RequestAfterARefusedOneOnTheSameConnectionIsNeverRun) {
  // The classic smuggle: a second request hidden in the first one's body.
  std::string bytes =
      "POST /write HTTP/1.1\r\nHost: x\r\nContent-Length: 44\r\nTransfer-Encoding: chunked\r\n"
      "\r\n0\r\n\r\nPOST /write HTTP/1.1\r\nHost: x\r\n\r\n";
  std::string answer = raw_exchange(port_, bytes, std::chrono::seconds(3));
  EXPECT_EQ(status_of(answer), 400) << answer;
  EXPECT_EQ(answer.find("HTTP/1.1 200"), std::string::npos) << answer;
  EXPECT_EQ(writes_.load(), 0);
}

}  // namespace
}  // namespace mysfits::core
