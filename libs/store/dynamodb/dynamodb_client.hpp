#pragma once

#include <boost/json/object.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/http_client.hpp"
#include "core/result.hpp"
#include "store/dynamodb/credentials/chain.hpp"
#include "store/dynamodb/error_body.hpp"
#include "store/dynamodb/retry_policy.hpp"

namespace mysfits::store::dynamodb {

struct ClientSettings {
  std::string region = "us-east-1";
  std::string endpoint_url;  // "https://dynamodb.us-east-1.amazonaws.com" or an override
  // The whole operation, retries and backoff included: past it the caller gets kTimeout.
  std::chrono::milliseconds deadline{3'000};
  // One attempt of an operation that is safe to repeat: past it the attempt is given up and
  // sent again. An operation that is not safe to repeat has one attempt for the whole deadline.
  std::chrono::milliseconds attempt_timeout{1'000};
  RetryPolicy retry;
};

// What one DynamoDB operation came to. On failure, error_type is DynamoDB's error type without
// its namespace ("ConditionalCheckFailedException") when DynamoDB answered one, so callers can
// turn a verdict into their own meaning; error.code is already a sensible default.
struct Reply {
  core::Result<boost::json::object> result;
  std::string error_type;
  std::string request_id;  // x-amzn-RequestId of the last answer, for logs
  std::vector<CancellationReason> cancellation_reasons;  // of a TransactionCanceledException
};

// Whether a caller vouches that sending a request twice has the effect of once, beyond what
// is_safe_to_repeat (retry_policy.hpp) sees in the request itself.
enum class Repeat {
  kAsTheRequestSays,  // reads and TransactWriteItems with a ClientRequestToken are safe
  kSafe,              // e.g. seed's put on condition that the item is absent
};
using ReplyCallback = std::function<void(Reply)>;

// DynamoDB's JSON 1.0 protocol: POST / with X-Amz-Target "DynamoDB_20120810.<Operation>",
// signed with SigV4 using the credential chain's current keys (session token included), sent
// over core::HttpClient (keep-alive pool per thread, TLS verified against the system CAs).
// Rejections (throttling, conflicts) are retried with capped exponential backoff and full
// jitter, within the deadline; ambiguous failures (5xx, a timed-out attempt, a connection lost
// after sending) only for a request that is safe to repeat (retry_policy.hpp). Failures map to:
// deadline -> kTimeout; unreachable or 5xx -> kBadGateway; rejected to the end, no credentials
// or no table -> kUnavailable; another 4xx -> kInternal (our request or our rights are wrong);
// a failed condition -> kConflict.
class DynamoDbClient {
 public:
  // chain must outlive the client. Fails when endpoint_url is not a URL.
  static core::Result<std::unique_ptr<DynamoDbClient>> create(ClientSettings settings,
                                                              credentials::Chain& chain);
  ~DynamoDbClient();
  DynamoDbClient(const DynamoDbClient&) = delete;
  DynamoDbClient& operator=(const DynamoDbClient&) = delete;

  // Needs core::current_io(); done runs on this thread, never inside call().
  void call(std::string operation, boost::json::object request, ReplyCallback done,
            Repeat repeat = Repeat::kAsTheRequestSays);

  // Runs one call on a private io_context and waits for it (tools: seed, tests).
  Reply call_blocking(std::string operation, boost::json::object request,
                      Repeat repeat = Repeat::kAsTheRequestSays);

  const ClientSettings& settings() const { return settings_; }
  core::HttpClient::Stats stats() const;

 private:
  struct Operation;
  DynamoDbClient(ClientSettings settings, credentials::Chain& chain, core::Endpoint endpoint);
  void attempt(std::shared_ptr<Operation> op);
  void answer(std::shared_ptr<Operation> op, core::Result<core::ClientResponse> response);
  // Schedules the next attempt when the policy and the deadline allow one; false when not.
  bool retry_later(const std::shared_ptr<Operation>& op, Failure failure, std::string_view why);

  ClientSettings settings_;
  credentials::Chain& chain_;
  core::Endpoint endpoint_;
  std::unique_ptr<core::HttpClient> http_;
};

}  // namespace mysfits::store::dynamodb
