#pragma once

#include <boost/json/object.hpp>
#include <chrono>
#include <string>
#include <string_view>
#include <vector>

namespace mysfits::store::dynamodb {

// What a failed attempt says about the request, and so whether it may be sent again.
enum class Failure {
  // Turned away because the table or item is over its capacity: nothing was applied.
  kThrottled,
  // Turned away because a transaction holds the item (TransactionConflictException, a
  // transaction cancelled for TransactionConflict), or because the first attempt of this very
  // transaction still runs (TransactionInProgressException): nothing was applied, and the
  // other transaction ends within milliseconds.
  kConflict,
  // May have been applied: a 5xx (DynamoDB may answer 500 for a write it made), a timeout, a
  // connection lost after the request went out.
  kAmbiguous,
  // Judged: a failed condition, a validation error, missing rights. Will not change.
  kVerdict,
};

// Classifies an error answer. cancellation_codes: the Code of each CancellationReason of a
// TransactionCanceledException ("None" for the actions that were not at fault).
Failure classify(int status, std::string_view short_type,
                 const std::vector<std::string>& cancellation_codes);

// When to send a DynamoDB request again, and how long to wait first. A rejection (throttled,
// conflict) changed nothing, so any request may be sent again; an ambiguous failure only when
// the request is safe to repeat (is_safe_to_repeat); a verdict never. Conflicts are retried until
// the operation's deadline with short waits: the transaction in the way ends within
// milliseconds, and on a popular mysfit another pod's write is in the way most of the time, so
// giving up after a few tries would fail likes that a moment later go through.
struct RetryPolicy {
  int max_attempts = 6;  // attempts ending throttled or ambiguous; conflicts do not count
  std::chrono::milliseconds base{20};
  std::chrono::milliseconds cap{800};
  std::chrono::milliseconds conflict_base{5};
  std::chrono::milliseconds conflict_cap{50};

  // Whether an attempt that failed so may be followed by another. counted: the operation's
  // failures of that kind so far, this one included (conflicts are counted apart from the rest).
  bool allows_retry(Failure failure, bool safe_to_repeat, int counted) const;

  // "Full jitter": a uniform wait in [0, min(cap, base * 2^(counted - 1))], so that many clients
  // that were turned away together do not come back together. unit in [0, 1).
  std::chrono::milliseconds backoff(Failure failure, int counted, double unit) const;
};

// The error type without its namespace: "com.amazonaws.dynamodb.v20120810#ThrottlingException"
// -> "ThrottlingException".
std::string_view short_error_type(std::string_view type);

// Whether reaching DynamoDB twice has the effect of once: reads, and a TransactWriteItems with a
// ClientRequestToken (DynamoDB applies a repeat of it within 10 minutes only once).
bool is_safe_to_repeat(std::string_view operation, const boost::json::object& request);

// A uniform number in [0, 1) from a per-thread generator.
double jitter_unit();

// A fresh ClientRequestToken: 32 random hex digits (DynamoDB takes 1 to 36 characters).
std::string new_request_token();

}  // namespace mysfits::store::dynamodb
