// JSON encoding of the API's two read shapes: every GET /mysfits and GET /mysfits/{id} pays it.
#include <benchmark/benchmark.h>

#include "store/mysfit.hpp"
#include "store/mysfit_json.hpp"

namespace {

using mysfits::store::catalog;

void BM_EncodeList(benchmark::State& state) {
  const auto& mysfits = catalog();
  for (auto _ : state) {
    std::string body = mysfits::store::encode_list(mysfits);
    benchmark::DoNotOptimize(body.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(mysfits.size()));
}
BENCHMARK(BM_EncodeList);

void BM_EncodeProfile(benchmark::State& state) {
  const auto& mysfit = catalog().front();
  for (auto _ : state) {
    std::string body = mysfits::store::encode_profile(mysfit);
    benchmark::DoNotOptimize(body.data());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_EncodeProfile);

void BM_EncodeLikeResult(benchmark::State& state) {
  std::int64_t likes = 0;
  for (auto _ : state) {
    std::string body = mysfits::store::encode_like_result(++likes);
    benchmark::DoNotOptimize(body.data());
  }
}
BENCHMARK(BM_EncodeLikeResult);

}  // namespace

BENCHMARK_MAIN();
