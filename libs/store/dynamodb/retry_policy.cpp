#include "store/dynamodb/retry_policy.hpp"

#include <algorithm>
#include <random>

namespace mysfits::store::dynamodb {

std::chrono::milliseconds RetryPolicy::backoff(int retry, double unit) const {
  // base * 2^retry, computed without overflow: past 30 doublings it is the cap anyway.
  long long ceiling = cap.count();
  if (retry < 30)
    ceiling = std::min<long long>(ceiling, base.count() * (1LL << retry));
  return std::chrono::milliseconds(static_cast<long long>(static_cast<double>(ceiling) * unit));
}

std::string_view short_error_type(std::string_view type) {
  std::size_t hash = type.rfind('#');
  return hash == std::string_view::npos ? type : type.substr(hash + 1);
}

bool is_throttling(std::string_view short_type) {
  return short_type == "ProvisionedThroughputExceededException" ||
         short_type == "ThrottlingException" || short_type == "RequestLimitExceeded" ||
         short_type == "LimitExceededException";
}

bool is_retryable(int status, std::string_view short_type) {
  return status >= 500 || is_throttling(short_type);
}

double jitter_unit() {
  thread_local std::mt19937_64 generator{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(generator);
}

}  // namespace mysfits::store::dynamodb
