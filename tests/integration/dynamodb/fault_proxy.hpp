#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

namespace mysfits::testing {

// How an answer is lost after its request was applied.
enum class LostAs {
  kServerError,  // 500 InternalServerError, as DynamoDB may answer for a write it made
  kReset,        // the connection is reset instead of answered
  kSilence,      // no answer; the connection stays open until the client gives up on it
  kAlternate,    // 500 and reset in turn
};

struct FaultProxyOptions {
  // Every request's SigV4 signature is checked against this key pair, as DynamoDB does; a
  // wrong one is answered InvalidSignatureException (the keys of aws_test_environment()).
  std::string access_key_id = "AKIDMYSFITSTEST";
  std::string secret_access_key = "mysfits-test-secret";
  // Write units a second one item takes (DynamoDB: 1,000 per partition); 0: no limit.
  double item_write_limit = 0;
  std::chrono::milliseconds idempotency_window{10 * 60 * 1000};
};

// DynamoDB for the tests: dynalite (node_modules/dynalite) behind this proxy, which adds what
// dynalite lacks and what a test needs to see. It checks every request's signature, models
// TransactWriteItems with ClientRequestToken idempotency (transact_model.hpp), limits the writes
// to one item, and misbehaves on request: before a request reaches the table (throttled, 500,
// a 4xx verdict, never answered) or after it was applied (its answer lost). Requests of the
// monolith's readiness probe pass untouched, so background pings never eat the faults a test
// injects. Counters say what happened.
class FaultProxy {
 public:
  explicit FaultProxy(std::uint16_t upstream_port, FaultProxyOptions options = {});
  ~FaultProxy();
  FaultProxy(const FaultProxy&) = delete;
  FaultProxy& operator=(const FaultProxy&) = delete;

  std::string url() const;
  std::uint16_t port() const;

  // Faults before the table: nothing is applied.
  std::atomic<int> throttle_next{0};  // throttled (a transaction: cancelled, ThrottlingError)
  std::atomic<int> fail_next{0};      // 500 InternalServerError
  std::atomic<int> reject_next{0};    // 400 ValidationException: must not be retried
  std::atomic<bool> stall{false};     // never answered
  // Faults after: the request was applied (or read), then its answer is lost. lose_every loses
  // every Nth answer, but never a second time for the same request, so that each request
  // succeeds on its first retry and the test's outcome does not hang on chance.
  std::atomic<int> lose_next{0};
  std::atomic<int> lose_every{0};
  std::atomic<LostAs> lose_as{LostAs::kServerError};
  // The next transaction stays in progress until a repeat of it (its token) has been answered
  // TransactionInProgressException; then it is applied. A client whose attempt timed out and
  // that sent it again sees what DynamoDB shows while the first attempt still runs.
  std::atomic<bool> hold_next_transaction{false};

  // What happened, probes not counted.
  std::atomic<int> injected{0};   // faults before the table
  std::atomic<int> forwarded{0};  // requests that reached the table
  std::atomic<int> applied_writes{0};
  std::atomic<int> replays{0};  // transactions answered from their token, not applied again
  std::atomic<int> throttled{0};
  std::atomic<int> conflicts{0};  // in progress, or a conflict with a running transaction
  std::atomic<int> lost_answers{0};
  std::atomic<int> bad_signatures{0};

  // Moves the proxy's clock on (the idempotency window), without waiting.
  void advance_clock(std::chrono::milliseconds by);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace mysfits::testing
