// The strangler split working: like and adopt through their own services reach the monolith's
// data exactly once, trace ids travel along, answers are relayed unchanged, and the services'
// /readyz follows the monolith.
#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <thread>
#include <vector>

#include "integration/monolith/monolith_server.hpp"
#include "integration/split/fake_monolith.hpp"
#include "integration/split/step_service_process.hpp"
#include "store/mysfit.hpp"

namespace mysfits::testing {
namespace {

std::string nth_id(std::size_t n) {
  return store::catalog().at(n).id;
}

class SplitFlow : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(monolith_.start()) << monolith_.log();
    like_.emplace("mysfits-like", monolith_url(monolith_.port()),
                  std::map<std::string, std::string>{{"MONOLITH_CONNECTIONS", "4"}});
    ASSERT_TRUE(like_->start()) << like_->log();
    // The bare "host:port" form the seed passes.
    adopt_.emplace("mysfits-adopt", "127.0.0.1:" + std::to_string(monolith_.port()));
    ASSERT_TRUE(adopt_->start()) << adopt_->log();
  }
  void TearDown() override {
    if (HasFailure()) {
      std::cerr << "--- like ---\n"
                << like_->log() << "--- adopt ---\n"
                << adopt_->log() << "--- monolith ---\n"
                << monolith_.log();
    }
  }

  MonolithServer monolith_;
  std::optional<StepServiceProcess> like_;
  std::optional<StepServiceProcess> adopt_;
};

TEST_F(SplitFlow, LikeThroughTheServiceIsCountedOnce) {
  const auto id = nth_id(0);
  const auto before = monolith_.likes(id);
  auto r = like_->post("/mysfits/" + id + "/like");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("content-type"), "application/json");
  EXPECT_EQ(parse_json(r.body),
            parse_json(R"({"Update":"Success","likes":)" + std::to_string(before + 1) + "}"));
  EXPECT_EQ(monolith_.likes(id), before + 1);
}

TEST_F(SplitFlow, AdoptThroughTheServiceAdoptsOnceThenRelaysTheConflict) {
  const auto id = nth_id(1);
  auto first = adopt_->post("/mysfits/" + id + "/adopt");
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(parse_json(first.body), parse_json(R"({"Update":"Success","adopted":true})"));
  auto profile = parse_json(monolith_.get("/mysfits/" + id).body);
  EXPECT_EQ(profile.at("adopted"), true);
  auto second = adopt_->post("/mysfits/" + id + "/adopt");
  EXPECT_EQ(second.status, 409) << second.body;
  EXPECT_EQ(keys_of(parse_json(second.body)), (std::vector<std::string>{"error", "message"}));
}

TEST_F(SplitFlow, BadIdIsRejectedBeforeTheMonolithAndUnknownIdIsRelayed) {
  const auto before = monolith_.snapshot();
  auto bad = like_->post("/mysfits/bad!id/like");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(parse_json(bad.body).at("error"), "bad_request");
  auto unknown = adopt_->post("/mysfits/no-such-mysfit/adopt");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(like_->get("/mysfits/" + nth_id(0) + "/like").status, 405);
  EXPECT_EQ(like_->post("/mysfits/" + nth_id(0) + "/adopt").status, 404);
  EXPECT_EQ(monolith_.snapshot(), before);
}

TEST_F(SplitFlow, FourHundredConcurrentLikesAreAllCountedOverBoundedConnections) {
  const auto id = nth_id(2);
  const auto before = monolith_.likes(id);
  constexpr int kLikes = 400;
  std::atomic<int> ok{0};
  std::atomic<bool> loading{true};
  std::atomic<int> most_connections{0};
  std::thread sampler([&] {
    while (loading) {
      const int now = established_connections(like_->process().pid(), monolith_.port());
      most_connections = std::max(most_connections.load(), now);
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  });
  std::vector<std::thread> clients;
  for (int i = 0; i < kLikes; ++i) {
    clients.emplace_back([&] {
      auto r =
          http(like_->port(), "POST", "/mysfits/" + id + "/like", "", {}, std::chrono::seconds(30));
      ok += r.status == 200 ? 1 : 0;
    });
  }
  for (auto& client : clients) {
    client.join();
  }
  loading = false;
  sampler.join();
  EXPECT_EQ(ok, kLikes);
  EXPECT_EQ(monolith_.likes(id), before + kLikes);
  // THREADS=2 x MONOLITH_CONNECTIONS=4; the readiness check shares them.
  EXPECT_LE(most_connections, 8);
  EXPECT_GT(most_connections, 0) << "the sampler saw the connections";
  EXPECT_LE(like_->metric("mysfits_upstream_connections_opened_total").value_or(1e9), 8);
}

TEST_F(SplitFlow, TraceIdsArePassedOnAndTheAnswerIsRelayedUnchanged) {
  FakeMonolith fake(FakeMonolith::Mode::kRecord);
  StepServiceProcess like("mysfits-like", monolith_url(fake.port()));
  ASSERT_TRUE(like.start("/healthz")) << like.log();
  const std::string trace = "Root=1-5f84c7a1-0123456789abcdef01234567";
  auto r = like.post("/mysfits/abc-1/like",
                     {{"X-Request-Id", "req-split-42"}, {"X-Amzn-Trace-Id", trace}});
  EXPECT_EQ(r.status, 201);
  EXPECT_EQ(r.body, FakeMonolith::kRecordBody);
  EXPECT_EQ(r.header("x-request-id"), "req-split-42");
  const auto seen = fake.last_request();
  EXPECT_EQ(seen.method, "POST");
  EXPECT_EQ(seen.target, "/mysfits/abc-1/fulfill-like");
  EXPECT_EQ(seen.headers.at("x-request-id"), "req-split-42");
  EXPECT_EQ(seen.headers.at("x-amzn-trace-id"), trace);
  EXPECT_NE(like.log().find(R"("request_id":"req-split-42")"), std::string::npos)
      << "the business step logs the request id";
}

TEST_F(SplitFlow, ReadyzFollowsTheMonolithWhileRootAndHealthzStayUp) {
  ASSERT_TRUE(poll_until([&] { return like_->get("/readyz").status == 200; }));
  monolith_.kill_hard();
  EXPECT_TRUE(poll_until([&] { return like_->get("/readyz").status == 503; }));
  EXPECT_EQ(like_->get("/healthz").status, 200);
  EXPECT_EQ(like_->get("/").status, 200);
  ASSERT_TRUE(monolith_.start(monolith_.port())) << monolith_.log();
  EXPECT_TRUE(poll_until([&] { return like_->get("/readyz").status == 200; }));
}

}  // namespace
}  // namespace mysfits::testing
