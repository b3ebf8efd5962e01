#pragma once

#include <chrono>
#include <string_view>

namespace mysfits::store::dynamodb {

// When and how long to wait before sending a DynamoDB request again. Only throttling and 5xx
// answers are retried: a 4xx other than throttling is our mistake or a verdict (a failed
// condition) and will not change; a transport failure or a timeout is never resent here,
// because an UpdateItem that may have been applied must not be applied twice for it.
struct RetryPolicy {
  int max_attempts = 6;
  std::chrono::milliseconds base{20};
  std::chrono::milliseconds cap{800};

  // "Full jitter": a uniform wait in [0, min(cap, base * 2^retry)], so that many clients that
  // were throttled together do not come back together. retry counts from 0; unit in [0, 1).
  std::chrono::milliseconds backoff(int retry, double unit) const;
};

// The error type without its namespace: "com.amazonaws.dynamodb.v20120810#ThrottlingException"
// -> "ThrottlingException".
std::string_view short_error_type(std::string_view type);

bool is_throttling(std::string_view short_type);
bool is_retryable(int status, std::string_view short_type);

// A uniform number in [0, 1) from a per-thread generator.
double jitter_unit();

}  // namespace mysfits::store::dynamodb
