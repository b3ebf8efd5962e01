// The monolith as a process: many likes at once on one row, graceful shutdown with requests in
// flight, durability across a restart and a kill -9, and its command line.
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <memory>
#include <set>
#include <thread>
#include <vector>

#include "integration/monolith/monolith_server.hpp"
#include "integration/monolith/raw_connection.hpp"
#include "store/mysfit.hpp"

namespace mysfits::testing {
namespace {

std::string like_request(const std::string& id) {
  return "POST /mysfits/" + id + "/like HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n";
}

// The "likes" of a like response, or -1.
std::int64_t likes_in(const HttpResult& r) {
  auto body = parse_json(r.body);
  const auto* likes = body.is_object() ? body.as_object().if_contains("likes") : nullptr;
  return r.status == 200 && likes != nullptr && likes->is_int64() ? likes->as_int64() : -1;
}

class MonolithLifecycle : public ::testing::Test {
 protected:
  void TearDown() override {
    if (HasFailure())
      std::cerr << "--- monolith log ---\n" << server_.log();
  }
  MonolithServer server_;
};

// 400 connections each send one like before any answer is read: all are in the server at
// once. Every one is acknowledged with its own count and every one is counted.
TEST_F(MonolithLifecycle, FourHundredConcurrentLikesOnOneMysfitAreAllCounted) {
  ASSERT_TRUE(server_.start()) << server_.log();
  const std::string id = store::catalog().at(3).id;
  const std::int64_t before = server_.likes(id);
  ASSERT_GE(before, 0);
  constexpr int kLikes = 400;
  std::vector<std::unique_ptr<RawConnection>> connections;
  for (int i = 0; i < kLikes; ++i) {
    connections.push_back(std::make_unique<RawConnection>(server_.port()));
    ASSERT_TRUE(connections.back()->connected()) << i;
  }
  for (auto& c : connections)
    ASSERT_TRUE(c->send(like_request(id)));
  std::set<std::int64_t> counts;
  for (auto& c : connections)
    counts.insert(likes_in(parse_raw_response(c->read_response())));
  ASSERT_EQ(counts.size(), static_cast<std::size_t>(kLikes)) << "each like gets its own count";
  EXPECT_EQ(*counts.begin(), before + 1);
  EXPECT_EQ(*counts.rbegin(), before + kLikes);
  EXPECT_EQ(server_.likes(id), before + kLikes);
}

// In flight: the server has read the headers (it sent 100 Continue) and waits for the body.
// After SIGTERM those requests still complete, /readyz on such a connection says 503, no new
// connection is accepted, and the process exits 0.
TEST_F(MonolithLifecycle, SigtermFinishesInFlightRequestsReportsNotReadyAndExitsZero) {
  ASSERT_TRUE(server_.start()) << server_.log();
  const std::string id = store::catalog().at(4).id;
  const std::int64_t before = server_.likes(id);

  RawConnection like(server_.port());
  ASSERT_TRUE(like.send("POST /mysfits/" + id +
                        "/like HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n"
                        "Expect: 100-continue\r\n\r\n"));
  ASSERT_EQ(status_of(like.read_response()), 100);
  RawConnection ready(server_.port());
  ASSERT_TRUE(
      ready.send("GET /readyz HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n"
                 "Expect: 100-continue\r\n\r\n"));
  ASSERT_EQ(status_of(ready.read_response()), 100);

  ASSERT_EQ(::kill(server_.process().pid(), SIGTERM), 0);
  EXPECT_TRUE(wait_closed(server_.port())) << "still accepting after SIGTERM";

  ASSERT_TRUE(ready.send("x"));
  auto readyz = parse_raw_response(ready.read_response());
  EXPECT_EQ(readyz.status, 503) << readyz.body;
  EXPECT_EQ(keys_of(parse_json(readyz.body)), (std::vector<std::string>{"error", "message"}));

  ASSERT_TRUE(like.send("{}"));
  auto liked = parse_raw_response(like.read_response());
  EXPECT_EQ(likes_in(liked), before + 1) << liked.body;
  EXPECT_EQ(liked.header("connection"), "close");

  EXPECT_EQ(server_.process().wait(std::chrono::seconds(20)), std::optional<int>(0));
  ASSERT_TRUE(server_.start()) << server_.log();
  EXPECT_EQ(server_.likes(id), before + 1) << "the in-flight like was kept";
}

TEST_F(MonolithLifecycle, IdleKeepAliveConnectionsDoNotDelayShutdown) {
  ASSERT_TRUE(server_.start()) << server_.log();
  RawConnection idle(server_.port());
  ASSERT_TRUE(idle.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
  ASSERT_EQ(status_of(idle.read_response()), 200);
  EXPECT_EQ(server_.stop(std::chrono::seconds(10)), std::optional<int>(0));
  EXPECT_TRUE(idle.closed_by_peer(std::chrono::seconds(1)));
}

TEST_F(MonolithLifecycle, LikesAndAdoptionsSurviveARestart) {
  ASSERT_TRUE(server_.start()) << server_.log();
  const std::string liked = store::catalog().at(5).id;
  const std::string adopted = store::catalog().at(6).id;
  std::int64_t likes = 0;
  for (int i = 0; i < 5; ++i)
    likes = likes_in(server_.post("/mysfits/" + liked + "/like"));
  ASSERT_EQ(likes, 5);
  ASSERT_EQ(server_.post("/mysfits/" + adopted + "/adopt").status, 200);
  auto snapshot = server_.snapshot();
  ASSERT_EQ(server_.stop(), std::optional<int>(0));

  ASSERT_TRUE(server_.start()) << server_.log();
  EXPECT_EQ(server_.snapshot(), snapshot) << "a restart must not reseed or lose writes";
  EXPECT_EQ(server_.post("/mysfits/" + adopted + "/adopt").status, 409);
}

// Likes stream in from several clients while the process is killed with SIGKILL: every like
// that was acknowledged before the kill is there after the restart.
TEST_F(MonolithLifecycle, NoAcknowledgedLikeIsLostToKillDashNine) {
  ASSERT_TRUE(server_.start()) << server_.log();
  const std::string id = store::catalog().at(7).id;
  std::atomic<std::int64_t> acknowledged{0};
  std::atomic<std::int64_t> sent{0};
  std::atomic<bool> killed{false};
  std::vector<std::thread> clients;
  for (int t = 0; t < 4; ++t) {
    clients.emplace_back([&] {
      while (!killed) {
        ++sent;
        if (likes_in(server_.post("/mysfits/" + id + "/like")) > 0)
          ++acknowledged;
      }
    });
  }
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (acknowledged < 200 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));  // poll interval
  ASSERT_TRUE(server_.process().running());
  server_.kill_hard();
  killed = true;
  for (auto& c : clients)
    c.join();
  ASSERT_GE(acknowledged.load(), 200);

  ASSERT_TRUE(server_.start()) << server_.log();
  std::int64_t after = server_.likes(id);
  EXPECT_GE(after, acknowledged.load());
  EXPECT_LE(after, sent.load());
}

TEST(MonolithCommandLine, HelpPrintsUsageAndExitsZero) {
  Process p(bin_path("mysfits-monolith"), {"--help"});
  EXPECT_EQ(p.wait(std::chrono::seconds(10)), std::optional<int>(0));
  EXPECT_NE(p.log().find("--port"), std::string::npos) << p.log();
  EXPECT_NE(p.log().find("--db"), std::string::npos) << p.log();
}

TEST(MonolithCommandLine, UnknownFlagOrBadValueExitsTwoWithOneLine) {
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"--no-such-flag"}, {"--port", "not-a-port"}, {"--log-level", "loud"}}) {
    Process p(bin_path("mysfits-monolith"), args, {{"MYSFITS_DB", temp_dir() + "/unused.db"}});
    EXPECT_EQ(p.wait(std::chrono::seconds(10)), std::optional<int>(2)) << args[0];
    std::string log = p.log();
    EXPECT_EQ(log.rfind("mysfits-monolith: ", 0), 0u) << log;
    EXPECT_EQ(std::count(log.begin(), log.end(), '\n'), 1) << log;
  }
}

}  // namespace
}  // namespace mysfits::testing
