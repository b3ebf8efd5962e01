// SigV4 signing of a DynamoDB call, as the DynamoDB store signs every request it sends. The
// signing key is derived per call here, as sign() does, so this is the full per-request cost.
#include <benchmark/benchmark.h>

#include <chrono>
#include <string>

#include "store/dynamodb/sigv4.hpp"

namespace {

namespace sigv4 = mysfits::store::dynamodb;

const std::string kGetItemBody =
    R"({"TableName":"MysfitsTable","Key":{"MysfitId":{"S":"4e53920c-505a-4a90-a694-b9300791f0ae"}}})";

sigv4::SignableRequest get_item_request() {
  sigv4::SignableRequest request;
  request.method = "POST";
  request.headers = {{"Host", "dynamodb.us-east-1.amazonaws.com"},
                     {"Content-Type", "application/x-amz-json-1.0"},
                     {"X-Amz-Target", "DynamoDB_20120810.GetItem"}};
  request.payload = kGetItemBody;
  return request;
}

void BM_SignGetItem(benchmark::State& state) {
  const sigv4::SigningKeys keys{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                                state.range(0) != 0 ? "session-token-of-an-irsa-pod" : ""};
  const sigv4::SigningScope scope{"us-east-1", "dynamodb"};
  const auto now = std::chrono::system_clock::now();
  for (auto _ : state) {
    auto request = get_item_request();
    sigv4::sign(request, keys, scope, now);
    benchmark::DoNotOptimize(request.headers.data());
  }
}
BENCHMARK(BM_SignGetItem)->ArgName("session_token")->Arg(0)->Arg(1);

void BM_DeriveSigningKey(benchmark::State& state) {
  const sigv4::SigningScope scope{"us-east-1", "dynamodb"};
  for (auto _ : state) {
    auto key =
        sigv4::derive_signing_key("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20261125", scope);
    benchmark::DoNotOptimize(key.data());
  }
}
BENCHMARK(BM_DeriveSigningKey);

}  // namespace

BENCHMARK_MAIN();
