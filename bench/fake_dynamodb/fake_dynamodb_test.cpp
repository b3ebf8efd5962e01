// The fake DynamoDB endpoint answers what the monolith needs: the monolith on it lists, filters,
// reads, likes and adopts; unsigned requests are refused.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>

#include "core/io_context.hpp"
#include "integration/dynamodb/dynalite.hpp"
#include "support/http_probe.hpp"
#include "support/process.hpp"

namespace mysfits::testing {
namespace {

using namespace std::chrono_literals;
namespace json = boost::json;

constexpr const char* kTable = "BenchMysfits";

struct FakeDynamoDb {
  std::uint16_t port = free_port();
  Process process;

  explicit FakeDynamoDb(int latency_ms = 0)
      : process(bin_path("mysfits-fake-dynamodb"),
                {"--port", std::to_string(port), "--table", kTable, "--threads", "1",
                 "--latency-ms", std::to_string(latency_ms)}) {
    if (!wait_ready(port, "/readyz", 15s, &process))
      ADD_FAILURE() << "fake DynamoDB not ready:\n" << process.log();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port); }
};

json::value get_json(std::uint16_t port, const std::string& target) {
  auto r = http(port, "GET", target);
  EXPECT_EQ(r.status, 200) << target << ": " << r.body;
  return r.ok ? json::parse(r.body) : json::value();
}

TEST(FakeDynamoDb, TheMonolithOnItListsFiltersReadsLikesAndAdopts) {
  FakeDynamoDb fake;
  DynamoMonolith monolith(fake.url(), kTable, {{"DDB_PAGE_LIMIT", "5"}});

  auto listed = get_json(monolith.port(), "/mysfits");
  ASSERT_TRUE(listed.is_object());
  const auto& mysfits = listed.at("mysfits").as_array();
  ASSERT_EQ(mysfits.size(), 12u);
  auto lawful = get_json(monolith.port(), "/mysfits?filter=LawChaos&value=Lawful");
  EXPECT_GT(lawful.at("mysfits").as_array().size(), 0u);
  EXPECT_LT(lawful.at("mysfits").as_array().size(), 12u);

  std::string id(mysfits.at(0).at("mysfitId").as_string());
  EXPECT_EQ(http(monolith.port(), "POST", "/mysfits/" + id + "/like").status, 200);
  EXPECT_EQ(http(monolith.port(), "POST", "/mysfits/" + id + "/like").status, 200);
  EXPECT_EQ(get_json(monolith.port(), "/mysfits/" + id).at("likes"), 2);
  EXPECT_EQ(http(monolith.port(), "POST", "/mysfits/" + id + "/adopt").status, 200);
  EXPECT_EQ(http(monolith.port(), "POST", "/mysfits/" + id + "/adopt").status, 409);
  EXPECT_EQ(http(monolith.port(), "POST", "/mysfits/no-such-mysfit/like").status, 404);
}

TEST(FakeDynamoDb, RefusesAnUnsignedRequest) {
  FakeDynamoDb fake;
  auto r = http(fake.port, "POST", "/", R"({"TableName":"BenchMysfits"})",
                {{"X-Amz-Target", "DynamoDB_20120810.Scan"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("MissingAuthenticationTokenException"), std::string::npos) << r.body;
  auto signed_scan =
      signed_request(fake.url(), "Scan", R"({"TableName":"BenchMysfits","Limit":3})");
  EXPECT_EQ(signed_scan.status, 200) << signed_scan.body;
  EXPECT_EQ(json::parse(signed_scan.body).at("Count"), 3);
}

// More calls in flight than the HTTP client's default idle limit (64): the DynamoDB client keeps
// every connection it opened, so a second wave of as many calls opens none (over TLS, each
// would be a handshake).
TEST(FakeDynamoDb, TheClientKeepsAConnectionForEveryCallInFlight) {
  constexpr int kInFlight = 100;
  FakeDynamoDb fake(50);  // slow enough that every call of a wave is in flight at once
  DirectClient direct(fake.url());
  boost::asio::io_context io;
  core::IoScope scope(io);
  const auto wave = [&] {
    int answered = 0, ok = 0;
    for (int i = 0; i < kInFlight; ++i) {
      direct.client().call("Scan", {{"TableName", kTable}, {"Limit", 1}},
                           [&](store::dynamodb::Reply reply) {
                             ++answered;
                             ok += reply.result ? 1 : 0;
                           });
    }
    // Not io.run(): the pool's idle sweep keeps the io_context busy for as long as it waits.
    while (answered < kInFlight)
      io.run_one();
    return ok;
  };
  ASSERT_EQ(wave(), kInFlight);
  const auto opened = direct.client().stats().connections_opened;
  EXPECT_EQ(opened, static_cast<std::uint64_t>(kInFlight));
  ASSERT_EQ(wave(), kInFlight);
  EXPECT_EQ(direct.client().stats().connections_opened, opened) << "connections were reopened";
}

}  // namespace
}  // namespace mysfits::testing
