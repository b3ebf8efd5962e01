#include "store/dynamodb/retry_policy.hpp"

#include <gtest/gtest.h>

namespace mysfits::store::dynamodb {
namespace {

using std::chrono::milliseconds;

TEST(RetryPolicy, BackoffDoublesUpToTheCap) {
  RetryPolicy policy;
  policy.base = milliseconds(10);
  policy.cap = milliseconds(100);
  EXPECT_EQ(policy.backoff(0, 0.999).count(), 9);
  EXPECT_EQ(policy.backoff(1, 0.999).count(), 19);
  EXPECT_EQ(policy.backoff(3, 0.999).count(), 79);
  EXPECT_EQ(policy.backoff(4, 0.999).count(), 99);
  EXPECT_EQ(policy.backoff(62, 0.999).count(), 99);
  EXPECT_EQ(policy.backoff(5, 0.0).count(), 0);
}

TEST(RetryPolicy, JitterStaysInItsRange) {
  for (int i = 0; i < 1000; ++i) {
    double unit = jitter_unit();
    ASSERT_GE(unit, 0.0);
    ASSERT_LT(unit, 1.0);
  }
}

TEST(RetryPolicy, RetriesThrottlingAnd5xxOnly) {
  EXPECT_TRUE(is_retryable(400, "ProvisionedThroughputExceededException"));
  EXPECT_TRUE(is_retryable(400, "ThrottlingException"));
  EXPECT_TRUE(is_retryable(500, "InternalServerError"));
  EXPECT_TRUE(is_retryable(503, ""));
  EXPECT_FALSE(is_retryable(400, "ConditionalCheckFailedException"));
  EXPECT_FALSE(is_retryable(400, "ValidationException"));
  EXPECT_FALSE(is_retryable(403, "AccessDeniedException"));
}

TEST(RetryPolicy, ShortErrorTypeDropsTheNamespace) {
  EXPECT_EQ(short_error_type("com.amazonaws.dynamodb.v20120810#ResourceNotFoundException"),
            "ResourceNotFoundException");
  EXPECT_EQ(short_error_type("ThrottlingException"), "ThrottlingException");
}

}  // namespace
}  // namespace mysfits::store::dynamodb
