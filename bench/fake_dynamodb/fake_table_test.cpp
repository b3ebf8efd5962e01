#include "fake_dynamodb/fake_table.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace mysfits::bench {
namespace {

namespace json = boost::json;

constexpr const char* kTable = "Mysfits";

json::object key(const std::string& id) {
  return {{"MysfitId", {{"S", id}}}};
}

// The first mysfit of the catalog and the table over the whole catalog.
struct FakeTableTest : ::testing::Test {
  FakeTable table{kTable, store::catalog()};
  std::string id = store::catalog().front().id;

  json::object call(std::string_view operation, const json::object& request,
                    int expected_status = 200) {
    FakeAnswer answer = table.handle(operation, json::serialize(request));
    EXPECT_EQ(answer.status, expected_status) << answer.body;
    return json::parse(answer.body).as_object();
  }

  std::string likes() {
    auto item = call("GetItem", {{"TableName", kTable}, {"Key", key(id)}});
    auto* found = item.at("Item").as_object().if_contains("Likes");
    return found ? std::string(found->at("N").as_string()) : "absent";
  }

  json::object like_transaction(const std::string& mysfit_id) {
    return {{"TransactItems",
             json::array{json::object{{"Update",
                                       {{"TableName", kTable},
                                        {"Key", key(mysfit_id)},
                                        {"UpdateExpression", "ADD Likes :n"},
                                        {"ConditionExpression", "attribute_exists(MysfitId)"},
                                        {"ReturnValuesOnConditionCheckFailure", "ALL_OLD"},
                                        {"ExpressionAttributeValues", {{":n", {{"N", "2"}}}}}}}}}},
            {"ClientRequestToken", "token"}};
  }
};

TEST_F(FakeTableTest, GetItemAnswersTheCatalogItemAndItsProjection) {
  auto whole = call("GetItem", {{"TableName", kTable}, {"Key", key(id)}, {"ConsistentRead", true}});
  EXPECT_EQ(whole.at("Item").at("Name").at("S").as_string(), store::catalog().front().name);
  auto projected = call("GetItem", {{"TableName", kTable},
                                    {"Key", key(id)},
                                    {"ProjectionExpression", "#n, Age"},
                                    {"ExpressionAttributeNames", {{"#n", "Name"}}}});
  EXPECT_EQ(projected.at("Item").as_object().size(), 2u);
  EXPECT_TRUE(call("GetItem", {{"TableName", kTable}, {"Key", key("nobody")}}).empty());
}

TEST_F(FakeTableTest, TransactionAddsLikesAndCancelsOnAFailedCondition) {
  call("TransactWriteItems", like_transaction(id));
  call("TransactWriteItems", like_transaction(id));
  EXPECT_EQ(likes(), "4");
  auto cancelled = call("TransactWriteItems", like_transaction("nobody"), 400);
  EXPECT_EQ(cancelled.at("__type"),
            "com.amazonaws.dynamodb.v20120810#TransactionCanceledException");
  EXPECT_EQ(cancelled.at("CancellationReasons").at(0).at("Code"), "ConditionalCheckFailed");
  EXPECT_FALSE(cancelled.at("CancellationReasons").at(0).as_object().contains("Item"));
  EXPECT_TRUE(call("GetItem", {{"TableName", kTable}, {"Key", key("nobody")}}).empty());
}

TEST_F(FakeTableTest, AdoptionConditionFailsTheSecondTimeWithTheOldItem) {
  json::object adopt{
      {"TableName", kTable},
      {"Key", key(id)},
      {"UpdateExpression", "SET Adopted = :adopted"},
      {"ConditionExpression",
       "attribute_exists(MysfitId) AND (attribute_not_exists(Adopted) OR "
       "Adopted = :free)"},
      {"ExpressionAttributeValues", {{":adopted", {{"BOOL", true}}}, {":free", {{"BOOL", false}}}}},
      {"ReturnValues", "ALL_NEW"}};
  EXPECT_EQ(call("UpdateItem", adopt).at("Attributes").at("Adopted").at("BOOL"), true);
  auto refused = call("UpdateItem", adopt, 400);
  EXPECT_EQ(refused.at("__type"),
            "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException");
}

TEST_F(FakeTableTest, QueryOnAnIndexPagesThroughTheMatchingItemsOnly) {
  json::object query{{"TableName", kTable},
                     {"IndexName", "GoodEvilIndex"},
                     {"KeyConditionExpression", "#field = :value"},
                     {"ExpressionAttributeNames", {{"#field", "GoodEvil"}}},
                     {"ExpressionAttributeValues", {{":value", {{"S", "Evil"}}}}},
                     {"Limit", 2}};
  std::size_t expected = 0;
  for (const auto& mysfit : store::catalog())
    expected += mysfit.good_evil == "Evil" ? 1 : 0;
  std::size_t seen = 0;
  for (int page = 0; page < 20; ++page) {
    auto answer = call("Query", query);
    for (const auto& item : answer.at("Items").as_array()) {
      EXPECT_EQ(item.at("GoodEvil").at("S"), "Evil");
      ++seen;
    }
    auto* last = answer.if_contains("LastEvaluatedKey");
    if (last == nullptr)
      break;
    query["ExclusiveStartKey"] = *last;
  }
  EXPECT_GT(expected, 0u);
  EXPECT_EQ(seen, expected);
  EXPECT_EQ(call("Scan", {{"TableName", kTable}}).at("Count"), store::catalog().size());
}

TEST_F(FakeTableTest, RefusesWhatItDoesNotUnderstandAndChangesNothing) {
  EXPECT_EQ(call("DeleteItem", {{"TableName", kTable}, {"Key", key(id)}}, 400).at("__type"),
            "com.amazonaws.dynamodb.v20120810#UnknownOperationException");
  EXPECT_EQ(call("GetItem", {{"TableName", "Other"}, {"Key", key(id)}}, 400).at("__type"),
            "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException");
  json::object odd{{"TableName", kTable},
                   {"Key", key(id)},
                   {"UpdateExpression", "ADD Likes :n REMOVE Age"},
                   {"ExpressionAttributeValues", {{":n", {{"N", "1"}}}}}};
  EXPECT_EQ(call("UpdateItem", odd, 400).at("__type"),
            "com.amazonaws.dynamodb.v20120810#ValidationException");
  odd["UpdateExpression"] = "ADD Likes :n";
  odd["ConditionExpression"] = "size(Name) > :n";
  call("UpdateItem", odd, 400);
  EXPECT_EQ(likes(), "0");
  EXPECT_EQ(table.handle("GetItem", "not json").status, 400);
}

}  // namespace
}  // namespace mysfits::bench
