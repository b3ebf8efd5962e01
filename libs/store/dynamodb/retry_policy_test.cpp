#include "store/dynamodb/retry_policy.hpp"

#include <gtest/gtest.h>

#include <set>

namespace mysfits::store::dynamodb {
namespace {

using std::chrono::milliseconds;

TEST(RetryPolicy, BackoffDoublesUpToTheCap) {
  RetryPolicy policy;
  policy.base = milliseconds(10);
  policy.cap = milliseconds(100);
  EXPECT_EQ(policy.backoff(Failure::kThrottled, 1, 0.999).count(), 9);
  EXPECT_EQ(policy.backoff(Failure::kThrottled, 2, 0.999).count(), 19);
  EXPECT_EQ(policy.backoff(Failure::kThrottled, 4, 0.999).count(), 79);
  EXPECT_EQ(policy.backoff(Failure::kAmbiguous, 5, 0.999).count(), 99);
  EXPECT_EQ(policy.backoff(Failure::kAmbiguous, 63, 0.999).count(), 99);
  EXPECT_EQ(policy.backoff(Failure::kThrottled, 5, 0.0).count(), 0);
}

TEST(RetryPolicy, ConflictsWaitBriefly) {
  RetryPolicy policy;
  EXPECT_EQ(policy.backoff(Failure::kConflict, 1, 0.999).count(), 4);
  EXPECT_EQ(policy.backoff(Failure::kConflict, 11, 0.999).count(), 49);
}

TEST(RetryPolicy, JitterStaysInItsRange) {
  for (int i = 0; i < 1000; ++i) {
    double unit = jitter_unit();
    ASSERT_GE(unit, 0.0);
    ASSERT_LT(unit, 1.0);
  }
}

TEST(RetryPolicy, ClassifiesWhatAnAnswerSaysAboutTheRequest) {
  EXPECT_EQ(classify(400, "ProvisionedThroughputExceededException", {}), Failure::kThrottled);
  EXPECT_EQ(classify(400, "ThrottlingException", {}), Failure::kThrottled);
  EXPECT_EQ(classify(400, "TransactionCanceledException", {"ThrottlingError"}),
            Failure::kThrottled);
  EXPECT_EQ(
      classify(400, "TransactionCanceledException", {"None", "ProvisionedThroughputExceeded"}),
      Failure::kThrottled);
  EXPECT_EQ(classify(400, "TransactionConflictException", {}), Failure::kConflict);
  EXPECT_EQ(classify(400, "TransactionInProgressException", {}), Failure::kConflict);
  EXPECT_EQ(classify(400, "TransactionCanceledException", {"TransactionConflict"}),
            Failure::kConflict);
  EXPECT_EQ(classify(500, "InternalServerError", {}), Failure::kAmbiguous);
  EXPECT_EQ(classify(503, "", {}), Failure::kAmbiguous);
  EXPECT_EQ(classify(400, "ConditionalCheckFailedException", {}), Failure::kVerdict);
  EXPECT_EQ(classify(400, "ValidationException", {}), Failure::kVerdict);
  EXPECT_EQ(classify(403, "AccessDeniedException", {}), Failure::kVerdict);
  EXPECT_EQ(classify(400, "IdempotentParameterMismatchException", {}), Failure::kVerdict);
  EXPECT_EQ(classify(400, "TransactionCanceledException", {"ConditionalCheckFailed"}),
            Failure::kVerdict);
  // A failed condition decides, even beside a conflict on another action.
  EXPECT_EQ(classify(400, "TransactionCanceledException",
                     {"TransactionConflict", "ConditionalCheckFailed"}),
            Failure::kVerdict);
  EXPECT_EQ(classify(400, "TransactionCanceledException", {"None"}), Failure::kVerdict);
  EXPECT_EQ(classify(400, "TransactionCanceledException", {}), Failure::kVerdict);
}

TEST(RetryPolicy, RejectionsAreRetriedWhateverTheRequest) {
  RetryPolicy policy;
  for (bool safe : {false, true}) {
    EXPECT_TRUE(policy.allows_retry(Failure::kThrottled, safe, 1));
    EXPECT_FALSE(policy.allows_retry(Failure::kThrottled, safe, policy.max_attempts));
    // Until the deadline, which the client keeps.
    EXPECT_TRUE(policy.allows_retry(Failure::kConflict, safe, 1000));
  }
}

TEST(RetryPolicy, AmbiguousFailuresAreRetriedOnlyWhenARepeatIsSafe) {
  RetryPolicy policy;
  EXPECT_TRUE(policy.allows_retry(Failure::kAmbiguous, true, 1));
  EXPECT_FALSE(policy.allows_retry(Failure::kAmbiguous, true, policy.max_attempts));
  EXPECT_FALSE(policy.allows_retry(Failure::kAmbiguous, false, 1));
}

TEST(RetryPolicy, VerdictsAreNeverRetried) {
  RetryPolicy policy;
  EXPECT_FALSE(policy.allows_retry(Failure::kVerdict, true, 1));
  EXPECT_FALSE(policy.allows_retry(Failure::kVerdict, false, 1));
}

TEST(RetryPolicy, ReadsAndTokenedTransactionsAreSafeToRepeat) {
  for (const char* read : {"GetItem", "Scan", "Query", "DescribeTable"})
    EXPECT_TRUE(is_safe_to_repeat(read, {})) << read;
  EXPECT_TRUE(is_safe_to_repeat("TransactWriteItems", {{"ClientRequestToken", "t"}}));
  EXPECT_FALSE(is_safe_to_repeat("TransactWriteItems", {}));
  EXPECT_FALSE(is_safe_to_repeat("UpdateItem", {{"ClientRequestToken", "t"}}));
  EXPECT_FALSE(is_safe_to_repeat("PutItem", {}));
}

TEST(RetryPolicy, RequestTokensAreFreshAndFitDynamoDbsLimit) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    std::string token = new_request_token();
    ASSERT_EQ(token.size(), 32u);
    ASSERT_EQ(token.find_first_not_of("0123456789abcdef"), std::string::npos);
    ASSERT_TRUE(seen.insert(token).second);
  }
}

TEST(RetryPolicy, ShortErrorTypeDropsTheNamespace) {
  EXPECT_EQ(short_error_type("com.amazonaws.dynamodb.v20120810#ResourceNotFoundException"),
            "ResourceNotFoundException");
  EXPECT_EQ(short_error_type("ThrottlingException"), "ThrottlingException");
}

}  // namespace
}  // namespace mysfits::store::dynamodb
