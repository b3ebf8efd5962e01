#pragma once

#include <boost/json/object.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "core/http_client.hpp"
#include "core/result.hpp"
#include "store/dynamodb/credentials/chain.hpp"
#include "store/dynamodb/retry_policy.hpp"

namespace mysfits::store::dynamodb {

struct ClientSettings {
  std::string region = "us-east-1";
  std::string endpoint_url;  // "https://dynamodb.us-east-1.amazonaws.com" or an override
  // The whole operation, retries and backoff included: past it the caller gets kTimeout.
  std::chrono::milliseconds deadline{3'000};
  std::chrono::milliseconds attempt_timeout{3'000};
  RetryPolicy retry;
};

// What one DynamoDB operation came to. On failure, error_type is DynamoDB's error type without
// its namespace ("ConditionalCheckFailedException") when DynamoDB answered one, so callers can
// turn a verdict into their own meaning; error.code is already a sensible default.
struct Reply {
  core::Result<boost::json::object> result;
  std::string error_type;
  std::string request_id;  // x-amzn-RequestId of the last answer, for logs
};
using ReplyCallback = std::function<void(Reply)>;

// DynamoDB's JSON 1.0 protocol: POST / with X-Amz-Target "DynamoDB_20120810.<Operation>",
// signed with SigV4 using the credential chain's current keys (session token included), sent
// over core::HttpClient (keep-alive pool per thread, TLS verified against the system CAs).
// Throttling and 5xx are retried with capped exponential backoff and full jitter, within the
// deadline. Failures map to: deadline -> kTimeout; unreachable or 5xx -> kBadGateway;
// throttled to the end, no credentials or no table -> kUnavailable; another 4xx -> kInternal
// (our request or our rights are wrong); a failed condition -> kConflict.
class DynamoDbClient {
 public:
  // chain must outlive the client. Fails when endpoint_url is not a URL.
  static core::Result<std::unique_ptr<DynamoDbClient>> create(ClientSettings settings,
                                                              credentials::Chain& chain);
  ~DynamoDbClient();
  DynamoDbClient(const DynamoDbClient&) = delete;
  DynamoDbClient& operator=(const DynamoDbClient&) = delete;

  // Needs core::current_io(); done runs on this thread, never inside call().
  void call(std::string operation, boost::json::object request, ReplyCallback done);

  // Runs one call on a private io_context and waits for it (tools: seed, tests).
  Reply call_blocking(std::string operation, boost::json::object request);

  const ClientSettings& settings() const { return settings_; }
  core::HttpClient::Stats stats() const;

 private:
  struct Operation;
  DynamoDbClient(ClientSettings settings, credentials::Chain& chain, core::Endpoint endpoint);
  void attempt(std::shared_ptr<Operation> op);
  void answer(std::shared_ptr<Operation> op, core::Result<core::ClientResponse> response);

  ClientSettings settings_;
  credentials::Chain& chain_;
  core::Endpoint endpoint_;
  std::unique_ptr<core::HttpClient> http_;
};

}  // namespace mysfits::store::dynamodb
