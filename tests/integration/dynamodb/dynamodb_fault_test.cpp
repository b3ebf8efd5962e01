// The DynamoDB store behind a misbehaving endpoint: throttling and 500s are retried with
// backoff and succeed; a 4xx verdict is not retried; throttling that never ends and an endpoint
// that never answers both end in a clear 5xx within the operation's deadline.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "integration/dynamodb/dynalite.hpp"
#include "integration/dynamodb/fault_proxy.hpp"
#include "support/http_probe.hpp"

namespace mysfits::testing {
namespace {

using namespace std::chrono_literals;

const std::string kProfile = "/mysfits/a901bb08-1985-42f5-bb77-27439ac14300";

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

}  // namespace
}  // namespace mysfits::testing
