// The store on tables made two ways: by `mysfits seed` (twice: the second run keeps likes and
// adoptions) and the way the workshop made it (provisioned 5/5, its own loader's items); plus
// 400 concurrent likes all counted and an adopt race with exactly one winner.
#include <gtest/gtest.h>

#include <atomic>
#include <boost/json.hpp>
#include <latch>
#include <mutex>
#include <thread>

#include "integration/dynamodb/dynalite.hpp"
#include "store/mysfit.hpp"
#include "support/http_probe.hpp"

namespace mysfits::testing {
namespace {

using namespace std::chrono_literals;

constexpr const char* kGretta = "a901bb08-1985-42f5-bb77-27439ac14300";

boost::json::value json_of(const HttpResult& r) {
  return boost::json::parse(r.body);
}

boost::json::object s(const std::string& text) {
  return {{"S", text}};
}

// The workshop's CloudFormation table and its loader's items: provisioned throughput, image
// URIs on the site bucket, numbers and booleans as DynamoDB types.
void make_workshop_table(DirectClient& direct, const std::string& table) {
  auto gsi = [](const char* hash) {
    return boost::json::object{
        {"IndexName", std::string(hash) + "Index"},
        {"KeySchema", boost::json::array{{{"AttributeName", hash}, {"KeyType", "HASH"}},
                                         {{"AttributeName", "MysfitId"}, {"KeyType", "RANGE"}}}},
        {"Projection", {{"ProjectionType", "ALL"}}},
        {"ProvisionedThroughput", {{"ReadCapacityUnits", 5}, {"WriteCapacityUnits", 5}}}};
  };
  boost::json::array definitions;
  for (const char* name : {"MysfitId", "GoodEvil", "LawChaos"})
    definitions.push_back(boost::json::object{{"AttributeName", name}, {"AttributeType", "S"}});
  direct.call(
      "CreateTable",
      {{"TableName", table},
       {"AttributeDefinitions", definitions},
       {"KeySchema", boost::json::array{{{"AttributeName", "MysfitId"}, {"KeyType", "HASH"}}}},
       {"GlobalSecondaryIndexes", boost::json::array{gsi("GoodEvil"), gsi("LawChaos")}},
       {"ProvisionedThroughput", {{"ReadCapacityUnits", 5}, {"WriteCapacityUnits", 5}}}});
  auto deadline = std::chrono::steady_clock::now() + 20s;
  while (std::chrono::steady_clock::now() < deadline) {
    auto described = direct.call("DescribeTable", {{"TableName", table}});
    if (described["Table"].as_object()["TableStatus"] == "ACTIVE")
      break;
    std::this_thread::sleep_for(50ms);  // polling interval, bounded by the deadline
  }
  for (const auto& m : store::catalog()) {
    std::string bucket = "https://mythical-mysfits-bucket.s3.amazonaws.com/web/images/";
    direct.call("PutItem", {{"TableName", table},
                            {"Item",
                             {{"MysfitId", s(m.id)},
                              {"Name", s(m.name)},
                              {"Species", s(m.species)},
                              {"Description", s(m.description)},
                              {"Age", {{"N", std::to_string(m.age)}}},
                              {"GoodEvil", s(m.good_evil)},
                              {"LawChaos", s(m.law_chaos)},
                              {"ThumbImageUri", s(bucket + m.name + "_thumb.png")},
                              {"ProfileImageUri", s(bucket + m.name + "_hover.png")},
                              {"Likes", {{"N", "0"}}},
                              {"Adopted", {{"BOOL", false}}}}}});
  }
}

TEST(DynamoDbTable, WorksUnchangedOnTheWorkshopsTable) {
  DynamoDbEmulator dynamodb;
  DirectClient direct(dynamodb.url());
  make_workshop_table(direct, "MysfitsTable");
  DynamoMonolith monolith(dynamodb.url(), "MysfitsTable");
  auto list = http(monolith.port(), "GET", "/mysfits?filter=LawChaos&value=Neutral");
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_FALSE(json_of(list).at("mysfits").as_array().empty());
  auto profile = http(monolith.port(), "GET", std::string("/mysfits/") + kGretta);
  ASSERT_EQ(profile.status, 200) << profile.body;
  EXPECT_NE(json_of(profile).at("thumbImageUri").as_string().find("mythical-mysfits-bucket"),
            boost::json::string::npos);
  ASSERT_EQ(http(monolith.port(), "POST", std::string("/mysfits/") + kGretta + "/like").status,
            200);
  ASSERT_EQ(http(monolith.port(), "POST", std::string("/mysfits/") + kGretta + "/adopt").status,
            200);
  // The item keeps the workshop's types, so the workshop's own code could still read it.
  auto item =
      direct.call("GetItem", {{"TableName", "MysfitsTable"}, {"Key", {{"MysfitId", s(kGretta)}}}});
  EXPECT_EQ(item["Item"].as_object()["Likes"], (boost::json::object{{"N", "1"}}));
  EXPECT_EQ(item["Item"].as_object()["Adopted"], (boost::json::object{{"BOOL", true}}));
}

TEST(DynamoDbTable, SeedTwiceKeepsLikesAndAdoptions) {
  DynamoDbEmulator dynamodb;
  std::string output;
  ASSERT_EQ(run_seed(dynamodb.url(), "Seeded", &output), 0) << output;
  EXPECT_NE(output.find("creating table Seeded"), std::string::npos) << output;
  EXPECT_NE(output.find("12 added"), std::string::npos) << output;
  {
    DynamoMonolith monolith(dynamodb.url(), "Seeded");
    ASSERT_EQ(http(monolith.port(), "POST", std::string("/mysfits/") + kGretta + "/like").status,
              200);
    ASSERT_EQ(http(monolith.port(), "POST", std::string("/mysfits/") + kGretta + "/adopt").status,
              200);
  }
  ASSERT_EQ(run_seed(dynamodb.url(), "Seeded", &output), 0) << output;
  EXPECT_NE(output.find("0 added, 12 already there"), std::string::npos) << output;
  DynamoMonolith monolith(dynamodb.url(), "Seeded");
  auto profile = json_of(http(monolith.port(), "GET", std::string("/mysfits/") + kGretta));
  EXPECT_EQ(profile.at("likes").as_int64(), 1);
  EXPECT_TRUE(profile.at("adopted").as_bool());
}

TEST(DynamoDbTable, FourHundredConcurrentLikesAreAllCounted) {
  DynamoDbEmulator dynamodb;
  ASSERT_EQ(run_seed(dynamodb.url(), "Likes", nullptr), 0);
  // dynalite applies updates of one item one at a time, slowly on a loaded machine: the
  // deadline is generous so that the count, not dynalite's speed, is what this test checks.
  DynamoMonolith monolith(dynamodb.url(), "Likes",
                          std::map<std::string, std::string>{{"DDB_TIMEOUT_MS", "60000"}});
  // 400 clients at once, each on its own connection, released together.
  constexpr int kClients = 400;
  std::latch start(1);
  std::atomic<int> ok{0};
  std::atomic<std::int64_t> highest{0};
  std::mutex failures_mutex;
  std::vector<std::string> failures;
  std::vector<std::thread> threads;
  for (int t = 0; t < kClients; ++t) {
    threads.emplace_back([&] {
      start.wait();
      auto r =
          http(monolith.port(), "POST", std::string("/mysfits/") + kGretta + "/like", "", {}, 30s);
      if (r.status != 200) {
        std::lock_guard lock(failures_mutex);
        failures.push_back(r.ok ? std::to_string(r.status) + " " + r.body : r.error);
        return;
      }
      ++ok;
      auto likes = json_of(r).at("likes").as_int64();
      for (auto seen = highest.load();
           likes > seen && !highest.compare_exchange_weak(seen, likes);) {
      }
    });
  }
  start.count_down();
  for (auto& thread : threads)
    thread.join();
  EXPECT_EQ(ok, kClients) << (failures.empty() ? "" : "first failure: " + failures.front());
  EXPECT_EQ(highest, kClients) << "the last write's count is every like";
  auto profile = json_of(http(monolith.port(), "GET", std::string("/mysfits/") + kGretta));
  EXPECT_EQ(profile.at("likes").as_int64(), kClients);
}

TEST(DynamoDbTable, AnAdoptRaceHasExactlyOneWinner) {
  DynamoDbEmulator dynamodb;
  ASSERT_EQ(run_seed(dynamodb.url(), "Adopt", nullptr), 0);
  DynamoMonolith monolith(dynamodb.url(), "Adopt");
  for (const auto& m : store::catalog()) {
    std::atomic<int> won{0};
    std::atomic<int> conflicts{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 2; ++t) {
      threads.emplace_back([&] {
        int status = http(monolith.port(), "POST", "/mysfits/" + m.id + "/adopt").status;
        if (status == 200)
          ++won;
        else if (status == 409)
          ++conflicts;
      });
    }
    for (auto& thread : threads)
      thread.join();
    EXPECT_EQ(won, 1) << m.id;
    EXPECT_EQ(conflicts, 1) << m.id;
  }
}

TEST(DynamoDbTable, AMonolithWithoutCredentialsFailsAtStartNamingWhatItTried) {
  DynamoDbEmulator dynamodb;
  auto env = aws_test_environment(dynamodb.url());
  env["AWS_ACCESS_KEY_ID"] = "";  // empty counts as unset
  env["AWS_SECRET_ACCESS_KEY"] = "";
  env["DDB_TABLE_NAME"] = "Anything";
  env["PORT"] = std::to_string(free_port());
  Process monolith(bin_path("mysfits-monolith"), {}, env);
  auto code = monolith.wait(20s);
  ASSERT_TRUE(code.has_value()) << "it must not start serving";
  EXPECT_NE(*code, 0);
  for (const char* tried : {"environment", "shared credentials file", "web identity",
                            "container credentials", "IMDSv2"})
    EXPECT_NE(monolith.log().find(tried), std::string::npos) << tried << "\n" << monolith.log();
}

}  // namespace
}  // namespace mysfits::testing
