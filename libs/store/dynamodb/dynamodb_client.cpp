#include "store/dynamodb/dynamodb_client.hpp"

#include <algorithm>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <optional>

#include "core/io_context.hpp"
#include "core/logging.hpp"
#include "store/dynamodb/sigv4.hpp"

namespace mysfits::store::dynamodb {

using SteadyClock = std::chrono::steady_clock;

struct DynamoDbClient::Operation {
  std::string name;
  std::string body;
  bool safe_to_repeat = false;
  ReplyCallback done;
  SteadyClock::time_point deadline;
  int attempts = 0;
  int conflicts = 0;               // attempts turned away by a transaction in the way
  int throttled_or_ambiguous = 0;  // the others that failed and may be retried
};

namespace {

std::vector<std::string> codes_of(const std::vector<CancellationReason>& reasons) {
  std::vector<std::string> codes;
  for (const auto& reason : reasons)
    codes.push_back(reason.code);
  return codes;
}

core::Errc errc_for(Failure failure, std::string_view type, const std::vector<std::string>& codes) {
  if (type == "ConditionalCheckFailedException" ||
      std::find(codes.begin(), codes.end(), "ConditionalCheckFailed") != codes.end())
    return core::Errc::kConflict;
  if (failure == Failure::kThrottled || failure == Failure::kConflict ||
      type == "ResourceNotFoundException")
    return core::Errc::kUnavailable;
  if (failure == Failure::kAmbiguous)
    return core::Errc::kBadGateway;
  return core::Errc::kInternal;
}

std::chrono::milliseconds remaining(SteadyClock::time_point deadline) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(deadline - SteadyClock::now());
}

}  // namespace

DynamoDbClient::DynamoDbClient(ClientSettings settings, credentials::Chain& chain,
                               core::Endpoint endpoint)
    : settings_(std::move(settings)), chain_(chain), endpoint_(std::move(endpoint)) {
  core::ClientOptions options;
  options.connect_timeout = std::min(settings_.attempt_timeout, std::chrono::milliseconds(1'000));
  options.request_timeout = settings_.attempt_timeout;
  // Every connection opened is kept for the next call (idle_timeout closes those a quieter
  // moment leaves unused): with more calls in flight than the default idle limit, connections
  // were closed as they came back and opened again for the next call, each a TLS handshake
  // (956 in 5 s with 128 calls in flight, throughput down to a third).
  options.max_idle_per_thread = options.max_open_per_thread;
  http_ = std::make_unique<core::HttpClient>(endpoint_, options);
}

DynamoDbClient::~DynamoDbClient() = default;

core::Result<std::unique_ptr<DynamoDbClient>> DynamoDbClient::create(ClientSettings settings,
                                                                     credentials::Chain& chain) {
  auto endpoint = core::Endpoint::parse(settings.endpoint_url);
  if (!endpoint)
    return core::Error{core::Errc::kBadRequest, "DynamoDB endpoint " + settings.endpoint_url +
                                                    ": " + endpoint.error().message};
  return std::unique_ptr<DynamoDbClient>(
      new DynamoDbClient(std::move(settings), chain, std::move(*endpoint)));
}

void DynamoDbClient::call(std::string operation, boost::json::object request, ReplyCallback done,
                          Repeat repeat) {
  auto op = std::make_shared<Operation>();
  op->safe_to_repeat = repeat == Repeat::kSafe || is_safe_to_repeat(operation, request);
  op->name = std::move(operation);
  op->body = boost::json::serialize(request);
  op->done = std::move(done);
  op->deadline = SteadyClock::now() + settings_.deadline;
  // Posted, so that even a failure found before any I/O completes outside call().
  boost::asio::post(core::current_io(), [this, op] { attempt(op); });
}

void DynamoDbClient::attempt(std::shared_ptr<Operation> op) {
  ++op->attempts;
  chain_.get([this, op](core::Result<credentials::Credentials> credentials) {
    if (!credentials) {
      op->done({core::Error{core::Errc::kUnavailable,
                            "DynamoDB " + op->name + ": " + credentials.error().message},
                "",
                "",
                {}});
      return;
    }
    std::chrono::milliseconds left = remaining(op->deadline);
    if (left.count() <= 0) {
      answer(op, core::Error{core::Errc::kTimeout, "deadline passed"});
      return;
    }
    SignableRequest signable;
    signable.method = "POST";
    signable.headers = {{"Host", endpoint_.host_header()},
                        {"Content-Type", "application/x-amz-json-1.0"},
                        {"X-Amz-Target", "DynamoDB_20120810." + op->name}};
    signable.payload = op->body;
    sign(signable,
         {credentials->access_key_id, credentials->secret_access_key, credentials->session_token},
         {settings_.region, "dynamodb"}, std::chrono::system_clock::now());

    core::ClientRequest request;
    request.method = "POST";
    request.target = "/";
    for (auto& header : signable.headers) {
      if (header.first != "Host")
        request.headers.push_back(std::move(header));
    }
    request.body = op->body;
    // An attempt that may not be repeated gets all the time there is: giving it up early would
    // leave its outcome unknown for nothing.
    request.timeout = op->safe_to_repeat ? std::min(left, settings_.attempt_timeout) : left;
    request.idempotent = op->safe_to_repeat;
    http_->send(std::move(request), [this, op](core::Result<core::ClientResponse> response) {
      answer(op, std::move(response));
    });
  });
}

void DynamoDbClient::answer(std::shared_ptr<Operation> op,
                            core::Result<core::ClientResponse> response) {
  std::string what = "DynamoDB " + op->name;
  if (!response) {
    // No answer: the request may or may not have been applied.
    if (retry_later(op, Failure::kAmbiguous, response.error().message))
      return;
    core::log_warn(
        "dynamodb_failed",
        {{"operation", op->name}, {"attempts", op->attempts}, {"error", response.error().message}});
    op->done(
        {core::Error{response.error().code, what + ": " + response.error().message}, "", "", {}});
    return;
  }
  std::string request_id(response->header("x-amzn-RequestId"));
  if (response->status == 200) {
    boost::system::error_code ec;
    boost::json::value doc = boost::json::parse(response->body, ec);
    if (ec || !doc.is_object()) {
      op->done(
          {core::Error{core::Errc::kBadGateway,
                       what + ": the answer is not a JSON object (request id " + request_id + ")"},
           "",
           request_id,
           {}});
      return;
    }
    op->done({std::move(doc.get_object()), "", request_id, {}});
    return;
  }
  ErrorBody error = parse_error_body(response->body);
  const std::vector<std::string> codes = codes_of(error.reasons);
  const Failure failure = classify(response->status, error.type, codes);
  if (retry_later(op, failure,
                  "HTTP " + std::to_string(response->status) + " " + error.type + " (request id " +
                      request_id + ")"))
    return;
  core::Errc code = errc_for(failure, error.type, codes);
  std::string message = what + ": HTTP " + std::to_string(response->status) + " " +
                        (error.type.empty() ? "(no error type)" : error.type) +
                        (error.message.empty() ? "" : ": " + error.message) + " (after " +
                        std::to_string(op->attempts) + " attempts, request id " + request_id + ")";
  // Retries that ran out, and a 5xx of a request that may not be repeated, are worth a line of
  // their own; a verdict (a failed condition, a missing table during seed) is the caller's to
  // judge, and the message carries the request id.
  if (failure != Failure::kVerdict)
    core::log_warn("dynamodb_failed", {{"operation", op->name},
                                       {"status", response->status},
                                       {"type", error.type},
                                       {"request_id", request_id},
                                       {"attempts", op->attempts}});
  op->done(
      {core::Error{code, std::move(message)}, error.type, request_id, std::move(error.reasons)});
}

bool DynamoDbClient::retry_later(const std::shared_ptr<Operation>& op, Failure failure,
                                 std::string_view why) {
  if (failure == Failure::kVerdict)
    return false;
  int counted = failure == Failure::kConflict ? ++op->conflicts : ++op->throttled_or_ambiguous;
  if (!settings_.retry.allows_retry(failure, op->safe_to_repeat, counted))
    return false;
  auto wait = settings_.retry.backoff(failure, counted, jitter_unit());
  // A retry that could not finish before the deadline is not worth starting.
  if (wait + std::chrono::milliseconds(10) >= remaining(op->deadline))
    return false;
  core::log_debug("dynamodb_retry",
                  {{"operation", op->name}, {"why", why}, {"wait_ms", wait.count()}});
  auto timer = std::make_shared<boost::asio::steady_timer>(core::current_io(), wait);
  timer->async_wait([this, op, timer](boost::system::error_code) { attempt(op); });
  return true;
}

Reply DynamoDbClient::call_blocking(std::string operation, boost::json::object request,
                                    Repeat repeat) {
  boost::asio::io_context io;
  core::IoScope scope(io);
  // The chain may complete us from another thread's refresh by posting here.
  auto guard = boost::asio::make_work_guard(io);
  std::optional<Reply> reply;
  call(
      std::move(operation), std::move(request), [&reply](Reply r) { reply = std::move(r); },
      repeat);
  while (!reply)
    io.run_one();
  return std::move(*reply);
}

core::HttpClient::Stats DynamoDbClient::stats() const {
  return http_->stats();
}

}  // namespace mysfits::store::dynamodb
