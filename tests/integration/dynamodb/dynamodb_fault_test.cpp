// The DynamoDB store behind a misbehaving endpoint: throttling and 500s are retried with
// backoff and succeed; a 4xx verdict is not retried; throttling that never ends and an endpoint
// that never answers both end in a clear 5xx within the operation's deadline. And exactly once:
// a like or an adoption whose answer is lost after DynamoDB applied it (500, reset, silence, or
// a retry while the first attempt still runs) is stored once and answered 200; a write that is
// not safe to repeat is never sent again; under load with one answer in twenty lost, the write
// audit is exact.
#include <gtest/gtest.h>

#include <atomic>
#include <boost/json/parse.hpp>
#include <iostream>
#include <thread>

#include "chaos/traffic.hpp"
#include "integration/dynamodb/dynalite.hpp"
#include "integration/dynamodb/fault_proxy.hpp"
#include "support/http_probe.hpp"

namespace mysfits::testing {
namespace {

using namespace std::chrono_literals;

constexpr const char* kGretta = "a901bb08-1985-42f5-bb77-27439ac14300";
const std::string kProfile = std::string("/mysfits/") + kGretta;

struct FaultFixture : ::testing::Test {
  DynamoDbEmulator dynamodb;
  FaultProxy* proxy = &dynamodb.proxy();
  std::unique_ptr<DynamoMonolith> monolith;

  void SetUp() override {
    std::string output;
    ASSERT_EQ(run_seed(dynamodb.url(), "Faults", &output), 0) << output;
    monolith = std::make_unique<DynamoMonolith>(
        dynamodb.url(), "Faults", std::map<std::string, std::string>{{"DDB_TIMEOUT_MS", "1500"}});
    // What seeding did is not the test's.
    proxy->forwarded = 0;
    proxy->applied_writes = 0;
  }
  std::uint16_t port() { return monolith->port(); }

  std::int64_t likes_on_profile() {
    auto r = http(port(), "GET", kProfile);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? boost::json::parse(r.body).at("likes").as_int64() : -1;
  }

  // One profile read: its status, and how many requests the proxy faked and passed through.
  void expect_profile_read(int status, int injected, int forwarded) {
    auto r = http(port(), "GET", kProfile);
    EXPECT_EQ(r.status, status) << r.body;
    EXPECT_EQ(proxy->injected, injected);
    EXPECT_EQ(proxy->forwarded, forwarded);
  }
};

TEST_F(FaultFixture, ThrottlingIsRetriedAndSucceeds) {
  proxy->throttle_next = 3;
  expect_profile_read(200, 3, 1);
}

TEST_F(FaultFixture, ServerErrorsAreRetriedAndTheLikeCountsOnce) {
  proxy->fail_next = 2;
  auto r = http(port(), "POST", kProfile + "/like");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(boost::json::parse(r.body).at("likes").as_int64(), 1);
  EXPECT_EQ(proxy->injected, 2);
}

TEST_F(FaultFixture, AClientErrorIsNotRetried) {
  proxy->reject_next = 1;
  expect_profile_read(500, 1, 0);
  expect_profile_read(200, 1, 1);  // the next request is served
}

TEST_F(FaultFixture, EndlessThrottlingIsA503NamingTheRequest) {
  proxy->throttle_next = 1'000'000;
  auto r = http(port(), "GET", "/mysfits");
  EXPECT_EQ(r.status, 503) << r.body;
  auto body = boost::json::parse(r.body);
  EXPECT_NE(std::string(body.at("message").as_string()).find("request id"), std::string::npos);
  EXPECT_GT(proxy->injected, 1) << "retried before giving up";
  EXPECT_NE(monolith->process().log().find("FAULT-PROXY-REQUEST-ID"), std::string::npos)
      << "DynamoDB's request id is in the log";
}

TEST_F(FaultFixture, AStalledEndpointHitsTheDeadline) {
  proxy->stall = true;
  auto r = http(port(), "POST", kProfile + "/like", "", {}, 10s);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.status, 504) << r.body;
  EXPECT_EQ(boost::json::parse(r.body).at("error").as_string(), "gateway_timeout");
}

TEST_F(FaultFixture, ThrottledTransactionsAreRetried) {
  proxy->throttle_next = 2;
  auto r = http(port(), "POST", kProfile + "/like");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(proxy->injected, 2);
  EXPECT_EQ(likes_on_profile(), 1);
}

class LostAnswer : public FaultFixture, public ::testing::WithParamInterface<LostAs> {};

TEST_P(LostAnswer, ALikeIsStoredOnceAndAnswered200) {
  proxy->lose_as = GetParam();
  proxy->lose_next = 1;  // the like's write: applied, its answer lost
  auto r = http(port(), "POST", kProfile + "/like", "", {}, 10s);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(boost::json::parse(r.body).at("likes").as_int64(), 1);
  EXPECT_EQ(proxy->lost_answers, 1);
  EXPECT_EQ(proxy->applied_writes, 1);
  EXPECT_EQ(proxy->replays, 1) << "the retry was answered from its token";
  EXPECT_EQ(likes_on_profile(), 1);
}

TEST_P(LostAnswer, AnAdoptionIsAnswered200ToItsCaller) {
  proxy->lose_as = GetParam();
  proxy->lose_next = 1;
  auto r = http(port(), "POST", kProfile + "/adopt", "", {}, 10s);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(proxy->lost_answers, 1);
  EXPECT_EQ(proxy->replays, 1);
  auto again = http(port(), "POST", kProfile + "/adopt");
  EXPECT_EQ(again.status, 409) << "another caller's adoption still finds it adopted";
}

std::string name_of(const ::testing::TestParamInfo<LostAs>& lost) {
  switch (lost.param) {
    case LostAs::kServerError:
      return "ServerError";
    case LostAs::kReset:
      return "Reset";
    case LostAs::kSilence:
      return "Silence";
    case LostAs::kAlternate:
      break;
  }
  return "Alternate";
}

INSTANTIATE_TEST_SUITE_P(Ways, LostAnswer,
                         ::testing::Values(LostAs::kServerError, LostAs::kReset, LostAs::kSilence),
                         name_of);

TEST_F(FaultFixture, ARetryWhileTheFirstAttemptStillRunsWaitsForItAndAppliesOnce) {
  // The first attempt hangs past the attempt timeout; its repeat finds it in progress, then
  // the first one applies and a later repeat is answered from the token.
  proxy->hold_next_transaction = true;
  auto r = http(port(), "POST", kProfile + "/like", "", {}, 10s);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_GE(proxy->conflicts, 1) << "a repeat was told the first was in progress";
  EXPECT_EQ(proxy->applied_writes, 1);
  EXPECT_EQ(likes_on_profile(), 1);
}

TEST_F(FaultFixture, AWriteThatIsNotSafeToRepeatIsNotSentAgain) {
  DirectClient direct(dynamodb.url());
  proxy->lose_next = 1;
  boost::json::object key{{"MysfitId", {{"S", kGretta}}}};
  auto reply = direct.client().call_blocking(
      "UpdateItem", {{"TableName", "Faults"},
                     {"Key", key},
                     {"UpdateExpression", "ADD Likes :one"},
                     {"ExpressionAttributeValues", {{":one", {{"N", "1"}}}}}});
  ASSERT_FALSE(reply.result.ok());
  EXPECT_EQ(reply.result.error().code, core::Errc::kBadGateway);
  EXPECT_EQ(proxy->applied_writes, 1) << "applied once, its answer lost, not sent again";
  EXPECT_EQ(likes_on_profile(), 1);
}

TEST_F(FaultFixture, UnderLoadWithOneAnswerInTwentyLostTheWriteAuditIsExact) {
  chaos::TrafficOptions options;
  options.port = port();
  options.duration = 30s;  // at most: the traffic stops once 40 answers were lost
  options.connections = 16;
  options.read_percent = 40;
  options.like_percent = 50;  // the rest adopts
  chaos::Snapshot before = chaos::snapshot(options.host, options.port);
  std::vector<std::string> ids;
  for (const auto& [id, state] : before)
    ids.push_back(id);
  proxy->lose_as = LostAs::kAlternate;  // a 500, then a reset, and so on
  proxy->lose_every = 20;
  std::atomic<bool> stop{false};
  std::thread enough([&] {
    auto deadline = std::chrono::steady_clock::now() + options.duration;
    while (!stop && proxy->lost_answers < 40 && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(20ms);  // polling a counter, bounded by the deadline
    stop = true;
  });
  chaos::TrafficReport report = chaos::run_traffic(options, ids, &stop);
  stop = true;
  enough.join();
  proxy->lose_every = 0;
  chaos::Snapshot after = chaos::snapshot(options.host, options.port);
  auto problems = chaos::audit(before, after, report);
  EXPECT_TRUE(problems.empty()) << problems.front();
  EXPECT_EQ(report.failed, 0u) << "no outcome left unknown: " << chaos::describe(report);
  EXPECT_GE(proxy->lost_answers, 40) << chaos::describe(report);
  EXPECT_GT(proxy->replays, 0) << "lost answers of writes were answered from their token";
  std::cout << chaos::describe(report) << "; answers lost: " << proxy->lost_answers
            << ", answered again from their token: " << proxy->replays << std::endl;
}

}  // namespace
}  // namespace mysfits::testing
