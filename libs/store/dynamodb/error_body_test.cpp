#include "store/dynamodb/error_body.hpp"

#include <gtest/gtest.h>

namespace mysfits::store::dynamodb {
namespace {

TEST(ErrorBody, TypeWithoutItsNamespaceAndTheMessageInEitherSpelling) {
  auto lower = parse_error_body(
      R"({"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException","message":"no"})");
  EXPECT_EQ(lower.type, "ResourceNotFoundException");
  EXPECT_EQ(lower.message, "no");
  auto upper = parse_error_body(R"({"__type":"X#ValidationException","Message":"bad"})");
  EXPECT_EQ(upper.message, "bad");
  EXPECT_TRUE(upper.reasons.empty());
}

TEST(ErrorBody, CancellationReasonsInOrderWithTheOldItem) {
  auto body = parse_error_body(
      R"({"__type":"com.amazonaws.dynamodb.v20120810#TransactionCanceledException",)"
      R"("Message":"Transaction cancelled [None, ConditionalCheckFailed]",)"
      R"("CancellationReasons":[{"Code":"None"},)"
      R"({"Code":"ConditionalCheckFailed","Message":"The conditional request failed",)"
      R"("Item":{"Adopted":{"BOOL":true}}}]})");
  ASSERT_EQ(body.reasons.size(), 2u);
  EXPECT_EQ(body.reasons[0].code, "None");
  EXPECT_FALSE(body.reasons[0].item);
  EXPECT_EQ(body.reasons[1].code, "ConditionalCheckFailed");
  EXPECT_EQ(body.reasons[1].message, "The conditional request failed");
  ASSERT_TRUE(body.reasons[1].item);
  EXPECT_TRUE(body.reasons[1].item->contains("Adopted"));
}

TEST(ErrorBody, CancellationCodesFromTheMessageWhenTheListIsLeftOut) {
  auto body = parse_error_body(
      R"({"__type":"TransactionCanceledException","message":)"
      R"("Transaction cancelled, please refer cancellation reasons for specific reasons )"
      R"([TransactionConflict, None]"})");
  ASSERT_EQ(body.reasons.size(), 2u);
  EXPECT_EQ(body.reasons[0].code, "TransactionConflict");
  EXPECT_EQ(body.reasons[1].code, "None");
}

TEST(ErrorBody, AnythingElseIsEmpty) {
  for (const char* text : {"", "not json", "[]", R"({"__type":7})", "{\"__type\":\"A#B\""}) {
    auto body = parse_error_body(text);
    EXPECT_TRUE(body.type.empty()) << text;
    EXPECT_TRUE(body.reasons.empty()) << text;
  }
  auto no_list = parse_error_body(R"({"__type":"TransactionCanceledException","message":"x"})");
  EXPECT_TRUE(no_list.reasons.empty());
}

}  // namespace
}  // namespace mysfits::store::dynamodb
