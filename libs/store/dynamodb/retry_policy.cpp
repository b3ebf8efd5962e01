#include "store/dynamodb/retry_policy.hpp"

#include <algorithm>
#include <random>

namespace mysfits::store::dynamodb {
namespace {

// Seeded with 256 bits, not one 32-bit word: request tokens of two pods must not come from the
// same stream, or a like of one would be taken for a repeat of the other's.
std::mt19937_64& generator() {
  thread_local std::mt19937_64 engine = [] {
    std::random_device device;
    std::seed_seq seed{device(), device(), device(), device(),
                       device(), device(), device(), device()};
    return std::mt19937_64(seed);
  }();
  return engine;
}

bool is_throttling(std::string_view short_type) {
  return short_type == "ProvisionedThroughputExceededException" ||
         short_type == "ThrottlingException" || short_type == "RequestLimitExceeded" ||
         short_type == "LimitExceededException";
}

// A cancelled transaction: a verdict when any action was judged; else throttled or in conflict
// by what turned its actions away.
Failure classify_cancellation(const std::vector<std::string>& codes) {
  bool throttled = false;
  bool conflict = false;
  for (const auto& code : codes) {
    if (code == "ThrottlingError" || code == "ProvisionedThroughputExceeded")
      throttled = true;
    else if (code == "TransactionConflict")
      conflict = true;
    else if (code != "None")
      return Failure::kVerdict;
  }
  if (throttled)
    return Failure::kThrottled;
  return conflict ? Failure::kConflict : Failure::kVerdict;
}

}  // namespace

Failure classify(int status, std::string_view short_type,
                 const std::vector<std::string>& cancellation_codes) {
  if (is_throttling(short_type))
    return Failure::kThrottled;
  if (short_type == "TransactionConflictException" ||
      short_type == "TransactionInProgressException")
    return Failure::kConflict;
  if (short_type == "TransactionCanceledException")
    return classify_cancellation(cancellation_codes);
  return status >= 500 ? Failure::kAmbiguous : Failure::kVerdict;
}

bool RetryPolicy::allows_retry(Failure failure, bool safe_to_repeat, int counted) const {
  switch (failure) {
    case Failure::kConflict:
      return true;
    case Failure::kThrottled:
      return counted < max_attempts;
    case Failure::kAmbiguous:
      return safe_to_repeat && counted < max_attempts;
    case Failure::kVerdict:
      break;
  }
  return false;
}

std::chrono::milliseconds RetryPolicy::backoff(Failure failure, int counted, double unit) const {
  const bool conflict = failure == Failure::kConflict;
  const long long first = (conflict ? conflict_base : base).count();
  // first * 2^retry, computed without overflow: past 30 doublings it is the cap anyway.
  const int retry = std::max(0, counted - 1);
  long long ceiling = (conflict ? conflict_cap : cap).count();
  if (retry < 30)
    ceiling = std::min<long long>(ceiling, first * (1LL << retry));
  return std::chrono::milliseconds(static_cast<long long>(static_cast<double>(ceiling) * unit));
}

std::string_view short_error_type(std::string_view type) {
  std::size_t hash = type.rfind('#');
  return hash == std::string_view::npos ? type : type.substr(hash + 1);
}

bool is_safe_to_repeat(std::string_view operation, const boost::json::object& request) {
  if (operation == "GetItem" || operation == "Scan" || operation == "Query" ||
      operation == "DescribeTable")
    return true;
  return operation == "TransactWriteItems" && request.contains("ClientRequestToken");
}

double jitter_unit() {
  return std::uniform_real_distribution<double>(0.0, 1.0)(generator());
}

std::string new_request_token() {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string token(32, '0');
  std::uniform_int_distribution<int> digit(0, 15);
  for (char& c : token)
    c = kDigits[digit(generator())];
  return token;
}

}  // namespace mysfits::store::dynamodb
