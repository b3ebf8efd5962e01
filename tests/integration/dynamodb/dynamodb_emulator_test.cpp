// The emulator the DynamoDB tests run against (dynalite behind FaultProxy) does what DynamoDB
// documents where dynalite does not: TransactWriteItems with ClientRequestToken idempotency,
// conflicts with a running transaction, cancellation reasons, signature checks, the write
// limit of one item; and its faults do what they say. The other tests' verdicts rest on this.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <thread>

#include "integration/dynamodb/dynalite.hpp"
#include "support/http_probe.hpp"

namespace mysfits::testing {
namespace {

using namespace std::chrono_literals;
namespace json = boost::json;

constexpr const char* kGretta = "a901bb08-1985-42f5-bb77-27439ac14300";
constexpr const char* kUnknown = "00000000-0000-0000-0000-000000000000";

json::object key(const std::string& id) {
  return {{"MysfitId", {{"S", id}}}};
}

// A transaction of one Update that adds `n` likes to id, with `token` when not empty.
std::string add_likes(const std::string& id, int n, const std::string& token,
                      bool old_item_on_failure = false) {
  json::object update{{"TableName", "Emulated"},
                      {"Key", key(id)},
                      {"UpdateExpression", "ADD Likes :n"},
                      {"ConditionExpression", "attribute_exists(MysfitId)"},
                      {"ExpressionAttributeValues", {{":n", {{"N", std::to_string(n)}}}}}};
  if (old_item_on_failure)
    update["ReturnValuesOnConditionCheckFailure"] = "ALL_OLD";
  json::object body{{"TransactItems", json::array{json::object{{"Update", update}}}}};
  if (!token.empty())
    body["ClientRequestToken"] = token;
  return json::serialize(body);
}

std::string plain_like(const std::string& id) {
  return json::serialize(json::object{{"TableName", "Emulated"},
                                      {"Key", key(id)},
                                      {"UpdateExpression", "ADD Likes :one"},
                                      {"ExpressionAttributeValues", {{":one", {{"N", "1"}}}}}});
}

std::string error_type(const HttpResult& r) {
  auto type = std::string(json::parse(r.body).at("__type").as_string());
  return type.substr(type.rfind('#') + 1);
}

struct Emulator : ::testing::Test {
  DynamoDbEmulator dynamodb;
  FaultProxy& proxy = dynamodb.proxy();

  void SetUp() override {
    std::string output;
    ASSERT_EQ(run_seed(dynamodb.url(), "Emulated", &output), 0) << output;
  }
  HttpResult send(const std::string& operation, const std::string& body) {
    return signed_request(dynamodb.url(), operation, body);
  }
  std::int64_t likes(const std::string& id) {
    auto r = send("GetItem",
                  json::serialize(json::object{
                      {"TableName", "Emulated"}, {"Key", key(id)}, {"ConsistentRead", true}}));
    EXPECT_EQ(r.status, 200) << r.body;
    json::value answer = json::parse(r.body);
    return std::stoll(std::string(answer.at("Item").at("Likes").at("N").as_string()));
  }
};

TEST_F(Emulator, ATokenMakesARepeatSucceedWithoutApplyingForTenMinutes) {
  ASSERT_EQ(send("TransactWriteItems", add_likes(kGretta, 5, "token-1")).status, 200);
  auto repeat = send("TransactWriteItems", add_likes(kGretta, 5, "token-1"));
  EXPECT_EQ(repeat.status, 200) << repeat.body;
  EXPECT_EQ(likes(kGretta), 5);
  EXPECT_EQ(proxy.replays, 1);
  proxy.advance_clock(10min);
  ASSERT_EQ(send("TransactWriteItems", add_likes(kGretta, 5, "token-1")).status, 200);
  EXPECT_EQ(likes(kGretta), 10) << "past the window, the same token is a new request";
}

TEST_F(Emulator, WithoutATokenEveryRepeatApplies) {
  ASSERT_EQ(send("TransactWriteItems", add_likes(kGretta, 1, "")).status, 200);
  ASSERT_EQ(send("TransactWriteItems", add_likes(kGretta, 1, "")).status, 200);
  EXPECT_EQ(likes(kGretta), 2);
}

TEST_F(Emulator, TheSameTokenWithOtherParametersIsAMismatch) {
  ASSERT_EQ(send("TransactWriteItems", add_likes(kGretta, 1, "token-2")).status, 200);
  auto changed = send("TransactWriteItems", add_likes(kGretta, 2, "token-2"));
  EXPECT_EQ(changed.status, 400);
  EXPECT_EQ(error_type(changed), "IdempotentParameterMismatchException");
  EXPECT_EQ(likes(kGretta), 1);
}

TEST_F(Emulator, AFailedConditionCancelsWithTheOldItemWhenAskedAndIsNotRemembered) {
  auto unknown = send("TransactWriteItems", add_likes(kUnknown, 1, "token-3", true));
  ASSERT_EQ(unknown.status, 400);
  EXPECT_EQ(error_type(unknown), "TransactionCanceledException");
  auto reason = json::parse(unknown.body).at("CancellationReasons").at(0);
  EXPECT_EQ(reason.at("Code"), "ConditionalCheckFailed");
  EXPECT_FALSE(reason.as_object().contains("Item")) << "no item was there";

  json::object adopt{
      {"TableName", "Emulated"},
      {"Key", key(kGretta)},
      {"UpdateExpression", "SET Adopted = :yes"},
      {"ConditionExpression", "Adopted = :no"},
      {"ExpressionAttributeValues", {{":yes", {{"BOOL", true}}}, {":no", {{"BOOL", false}}}}},
      {"ReturnValuesOnConditionCheckFailure", "ALL_OLD"}};
  std::string body =
      json::serialize(json::object{{"TransactItems", json::array{json::object{{"Update", adopt}}}},
                                   {"ClientRequestToken", "token-4"}});
  ASSERT_EQ(send("TransactWriteItems", body).status, 200);
  auto second = send(
      "TransactWriteItems",
      json::serialize(json::object{{"TransactItems", json::array{json::object{{"Update", adopt}}}},
                                   {"ClientRequestToken", "token-5"}}));
  ASSERT_EQ(second.status, 400);
  auto old = json::parse(second.body).at("CancellationReasons").at(0).at("Item");
  EXPECT_EQ(old.at("Adopted").at("BOOL"), true) << second.body;
}

TEST_F(Emulator, ARunningTransactionConflictsWithWritesButNotReads) {
  proxy.hold_next_transaction = true;  // until its repeat below
  std::thread running(
      [&] { EXPECT_EQ(send("TransactWriteItems", add_likes(kGretta, 1, "token-6")).status, 200); });
  // Until the running one is in progress: a plain write of the item is then a conflict.
  HttpResult plain;
  auto deadline = std::chrono::steady_clock::now() + 10s;
  do {
    plain = send("UpdateItem", plain_like(kGretta));
  } while (plain.status == 200 && std::chrono::steady_clock::now() < deadline);
  EXPECT_EQ(plain.status, 400);
  EXPECT_EQ(error_type(plain), "TransactionConflictException");
  auto other = send("TransactWriteItems", add_likes(kGretta, 1, "token-7"));
  EXPECT_EQ(error_type(other), "TransactionCanceledException");
  EXPECT_EQ(json::parse(other.body).at("CancellationReasons").at(0).at("Code"),
            "TransactionConflict");
  std::int64_t during = likes(kGretta);
  auto repeat = send("TransactWriteItems", add_likes(kGretta, 1, "token-6"));
  EXPECT_EQ(error_type(repeat), "TransactionInProgressException");
  running.join();
  EXPECT_EQ(likes(kGretta), during + 1) << "the running one applied, once";
  EXPECT_EQ(send("TransactWriteItems", add_likes(kGretta, 1, "token-6")).status, 200);
  EXPECT_EQ(likes(kGretta), during + 1) << "and its repeat now succeeds without applying";
}

TEST(EmulatorLimit, TheItemWriteLimitCountsTwoUnitsForATransaction) {
  // One unit a second: a burst of 2 units (one transaction), then 2 s until the next.
  DynamoDbEmulator limited(FaultProxyOptions{.item_write_limit = 1});
  ASSERT_EQ(run_seed(limited.url(), "Emulated", nullptr), 0);
  auto first = signed_request(limited.url(), "TransactWriteItems", add_likes(kGretta, 1, "t-8"));
  EXPECT_EQ(first.status, 200) << first.body;
  auto second = signed_request(limited.url(), "TransactWriteItems", add_likes(kGretta, 1, "t-9"));
  ASSERT_EQ(second.status, 400);
  EXPECT_EQ(json::parse(second.body).at("CancellationReasons").at(0).at("Code"), "ThrottlingError");
  EXPECT_EQ(limited.proxy().throttled, 1);
}

TEST_F(Emulator, ALostAnswerComesAfterTheWriteWasApplied) {
  proxy.lose_next = 1;
  auto lost = send("UpdateItem", plain_like(kGretta));
  EXPECT_EQ(lost.status, 500);
  EXPECT_EQ(likes(kGretta), 1);
  proxy.lose_next = 1;
  proxy.lose_as = LostAs::kReset;
  auto reset = send("UpdateItem", plain_like(kGretta));
  EXPECT_FALSE(reset.ok) << reset.status;
  EXPECT_EQ(likes(kGretta), 2);
  EXPECT_EQ(proxy.lost_answers, 2);
  EXPECT_EQ(proxy.applied_writes, 2);
}

TEST_F(Emulator, EveryNthAnswerIsLostButNeverTwiceForOneRequest) {
  proxy.lose_every = 2;
  EXPECT_EQ(send("TransactWriteItems", add_likes(kGretta, 1, "t-10")).status, 200);
  EXPECT_EQ(send("TransactWriteItems", add_likes(kGretta, 1, "t-11")).status, 500);
  EXPECT_EQ(send("TransactWriteItems", add_likes(kGretta, 1, "t-11")).status, 200);
  EXPECT_EQ(send("TransactWriteItems", add_likes(kGretta, 1, "t-11")).status, 200)
      << "its turn, but this request was lost once already";
  EXPECT_EQ(likes(kGretta), 2);
}

TEST_F(Emulator, AWrongSignatureIsRefused) {
  auto forged = signed_request(dynamodb.url(), "UpdateItem", plain_like(kGretta), "not-the-secret");
  EXPECT_EQ(forged.status, 400);
  EXPECT_EQ(error_type(forged), "InvalidSignatureException");
  EXPECT_EQ(proxy.bad_signatures, 1);
  EXPECT_EQ(likes(kGretta), 0);
}

TEST_F(Emulator, TransactionsItDoesNotModelAreRefused) {
  json::object put{{"Put", {{"TableName", "Emulated"}, {"Item", key("x")}}}};
  auto r = send("TransactWriteItems",
                json::serialize(json::object{{"TransactItems", json::array{put}}}));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(error_type(r), "ValidationException");
}

}  // namespace
}  // namespace mysfits::testing
