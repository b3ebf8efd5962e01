// Every monolith route, the same checks on both stores: SQLite and DynamoDB (the emulator, with
// pages forced down to 2 items so that every listing follows LastEvaluatedKey).
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <memory>

#include "integration/dynamodb/dynalite.hpp"
#include "support/http_probe.hpp"
#include "support/process.hpp"

namespace mysfits::testing {
namespace {

using namespace std::chrono_literals;

constexpr const char* kCoCo = "0e37d916-f960-4772-a25a-01b762b5c1bd";
constexpr const char* kPauly = "2b473002-36f8-4b87-954e-9a377e0ccbec";
constexpr const char* kUnknown = "00000000-0000-0000-0000-000000000000";

boost::json::value json_of(const HttpResult& r) {
  return boost::json::parse(r.body);
}

// The "mysfits" array of a list answer, by value (a range-for over a temporary's member would
// dangle).
boost::json::array mysfits_of(const HttpResult& r) {
  return json_of(r).at("mysfits").as_array();
}

std::vector<std::string> ids_of(const HttpResult& r) {
  std::vector<std::string> ids;
  for (const auto& m : mysfits_of(r))
    ids.emplace_back(m.at("mysfitId").as_string());
  return ids;
}

// One monolith per store kind, shared by the tests of that kind.
struct Backend {
  std::unique_ptr<DynamoMonolith> dynamo;
  std::unique_ptr<Process> sqlite;
  std::uint16_t port = 0;
};

Backend& backend(const std::string& kind) {
  static std::map<std::string, std::unique_ptr<Backend>> backends;
  auto& slot = backends[kind];
  if (slot)
    return *slot;
  slot = std::make_unique<Backend>();
  if (kind == "dynamodb") {
    DynamoDbEmulator& dynamodb = shared_emulator();
    std::string output;
    EXPECT_EQ(run_seed(dynamodb.url(), "mysfits-api", &output), 0) << output;
    slot->dynamo = std::make_unique<DynamoMonolith>(
        dynamodb.url(), "mysfits-api", std::map<std::string, std::string>{{"DDB_PAGE_LIMIT", "2"}});
    slot->port = slot->dynamo->port();
  } else {
    slot->port = free_port();
    slot->sqlite = std::make_unique<Process>(
        bin_path("mysfits-monolith"), std::vector<std::string>{},
        std::map<std::string, std::string>{{"HOST", "127.0.0.1"},
                                           {"PORT", std::to_string(slot->port)},
                                           {"MYSFITS_DB", temp_dir() + "/api.db"}});
    EXPECT_TRUE(wait_ready(slot->port, "/readyz", 15s, slot->sqlite.get()));
  }
  return *slot;
}

class MonolithRoutes : public ::testing::TestWithParam<std::string> {
 protected:
  std::uint16_t port() { return backend(GetParam()).port; }
};

TEST_P(MonolithRoutes, HealthAndReadiness) {
  EXPECT_EQ(http(port(), "GET", "/").status, 200);
  EXPECT_EQ(http(port(), "GET", "/healthz").status, 200);
  EXPECT_EQ(http(port(), "GET", "/readyz").status, 200);
}

TEST_P(MonolithRoutes, ListsAllTwelveInTheStableOrder) {
  auto r = http(port(), "GET", "/mysfits");
  ASSERT_EQ(r.status, 200) << r.body;
  auto ids = ids_of(r);
  EXPECT_EQ(ids.size(), 12u);
  // The order is the listing order every store shares: by name, then id.
  std::vector<std::string> names;
  for (const auto& m : mysfits_of(r))
    names.emplace_back(m.at("name").as_string());
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
}

TEST_P(MonolithRoutes, FiltersOnBothIndexes) {
  auto good = http(port(), "GET", "/mysfits?filter=GoodEvil&value=Good");
  ASSERT_EQ(good.status, 200) << good.body;
  ASSERT_FALSE(ids_of(good).empty());
  for (const auto& m : mysfits_of(good))
    EXPECT_EQ(m.at("goodevil").as_string(), "Good");
  auto lawful = http(port(), "GET", "/mysfits?filter=LawChaos&value=Lawful");
  ASSERT_EQ(lawful.status, 200) << lawful.body;
  ASSERT_FALSE(ids_of(lawful).empty());
  for (const auto& m : mysfits_of(lawful))
    EXPECT_EQ(m.at("lawchaos").as_string(), "Lawful");
  EXPECT_TRUE(ids_of(http(port(), "GET", "/mysfits?filter=GoodEvil&value=Nobody")).empty());
}

TEST_P(MonolithRoutes, FilterValuesThatAreNotUtf8MatchNothing) {
  auto r = http(port(), "GET", "/mysfits?filter=GoodEvil&value=%FF%FE");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(ids_of(r).empty());
}

TEST_P(MonolithRoutes, BadFiltersAre400) {
  EXPECT_EQ(http(port(), "GET", "/mysfits?filter=Species&value=Dragon").status, 400);
  EXPECT_EQ(http(port(), "GET", "/mysfits?filter=GoodEvil").status, 400);
  EXPECT_EQ(http(port(), "GET", "/mysfits?filter=LawChaosIndex&value=x").status, 400);
}

TEST_P(MonolithRoutes, GetsAProfileAndAnswers404ForAnUnknownId) {
  auto r = http(port(), "GET", std::string("/mysfits/") + kCoCo);
  ASSERT_EQ(r.status, 200) << r.body;
  auto profile = json_of(r).as_object();
  EXPECT_EQ(profile.at("name").as_string(), "CoCo");
  EXPECT_EQ(profile.at("age").as_int64(), 501);
  EXPECT_TRUE(profile.at("likes").is_int64());
  EXPECT_TRUE(profile.at("adopted").is_bool());
  auto missing = http(port(), "GET", std::string("/mysfits/") + kUnknown);
  EXPECT_EQ(missing.status, 404) << missing.body;
  EXPECT_EQ(json_of(missing).at("error").as_string(), "not_found");
  EXPECT_EQ(http(port(), "GET", "/mysfits/not_an_id!").status, 400);
}

TEST_P(MonolithRoutes, LikesCountUpAndShowOnTheProfile) {
  std::string id = kPauly;
  auto before = json_of(http(port(), "GET", "/mysfits/" + id)).at("likes").as_int64();
  auto like = http(port(), "POST", "/mysfits/" + id + "/like");
  ASSERT_EQ(like.status, 200) << like.body;
  EXPECT_EQ(json_of(like).at("likes").as_int64(), before + 1);
  EXPECT_EQ(json_of(like).at("Update").as_string(), "Success");
  auto fulfill = http(port(), "POST", "/mysfits/" + id + "/fulfill-like");
  ASSERT_EQ(fulfill.status, 200) << fulfill.body;
  EXPECT_EQ(json_of(fulfill).at("likes").as_int64(), before + 2);
  EXPECT_EQ(json_of(http(port(), "GET", "/mysfits/" + id)).at("likes").as_int64(), before + 2);
}

TEST_P(MonolithRoutes, UnknownIdsAreNeverCreatedByWrites) {
  std::string path = std::string("/mysfits/") + kUnknown;
  EXPECT_EQ(http(port(), "POST", path + "/like").status, 404);
  EXPECT_EQ(http(port(), "POST", path + "/adopt").status, 404);
  EXPECT_EQ(http(port(), "POST", path + "/fulfill-adopt").status, 404);
  EXPECT_EQ(http(port(), "GET", path).status, 404);
  EXPECT_EQ(ids_of(http(port(), "GET", "/mysfits")).size(), 12u);
}

TEST_P(MonolithRoutes, AdoptsOnceThen409) {
  std::string id = kCoCo;
  auto first = http(port(), "POST", "/mysfits/" + id + "/adopt");
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_TRUE(json_of(first).at("adopted").as_bool());
  auto second = http(port(), "POST", "/mysfits/" + id + "/fulfill-adopt");
  EXPECT_EQ(second.status, 409) << second.body;
  EXPECT_EQ(json_of(second).at("error").as_string(), "conflict");
  EXPECT_TRUE(json_of(http(port(), "GET", "/mysfits/" + id)).at("adopted").as_bool());
}

TEST_P(MonolithRoutes, WrongMethodAndUnknownRoute) {
  EXPECT_EQ(http(port(), "DELETE", "/mysfits").status, 405);
  EXPECT_EQ(http(port(), "GET", "/nothing-here").status, 404);
}

INSTANTIATE_TEST_SUITE_P(Stores, MonolithRoutes, ::testing::Values("sqlite", "dynamodb"),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });

TEST(BothStores, ListTheSameMysfitsInTheSameOrder) {
  for (const char* filter :
       {"", "?filter=GoodEvil&value=Neutral", "?filter=LawChaos&value=Chaotic"}) {
    auto sqlite = http(backend("sqlite").port, "GET", std::string("/mysfits") + filter);
    auto dynamo = http(backend("dynamodb").port, "GET", std::string("/mysfits") + filter);
    ASSERT_EQ(sqlite.status, 200);
    ASSERT_EQ(dynamo.status, 200);
    EXPECT_EQ(dynamo.body, sqlite.body) << filter;
  }
}

}  // namespace
}  // namespace mysfits::testing
