// Choosing a target: what the gateway does for every forwarded request after the route table
// matched. Four healthy targets, each algorithm, and round robin while one target ramps up in
// slow start (every choice then weighs the targets).
#include <benchmark/benchmark.h>

#include <vector>

#include "services/gateway/target_picker.hpp"

namespace {

using namespace mysfits;
using namespace mysfits::gateway;

const SteadyTime kNow = SteadyTime(std::chrono::hours(1000));

void pick_all(benchmark::State& state, ingress::Algorithm algorithm, bool one_ramping) {
  ingress::TargetGroupConfig config;
  config.algorithm = algorithm;
  config.slow_start_seconds = one_ramping ? 60 : 0;
  const TargetPicker picker(config);
  std::vector<TargetView> targets(4, TargetView{true, 0, {}, 1});
  if (one_ramping)
    targets[3].slow_start_since = kNow - std::chrono::seconds(15);
  PickInput in{0, 0, kNow};
  for (auto _ : state) {
    ++in.turn;
    in.draw = static_cast<double>(in.turn % 1000) / 1000.0;
    benchmark::DoNotOptimize(picker.pick(targets, in));
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_PickRoundRobin(benchmark::State& state) {
  pick_all(state, ingress::Algorithm::kRoundRobin, false);
}
BENCHMARK(BM_PickRoundRobin);

void BM_PickRoundRobinWhileOneRamps(benchmark::State& state) {
  pick_all(state, ingress::Algorithm::kRoundRobin, true);
}
BENCHMARK(BM_PickRoundRobinWhileOneRamps);

void BM_PickWeightedRandom(benchmark::State& state) {
  pick_all(state, ingress::Algorithm::kWeightedRandom, false);
}
BENCHMARK(BM_PickWeightedRandom);

void BM_PickLeastOutstandingRequests(benchmark::State& state) {
  pick_all(state, ingress::Algorithm::kLeastOutstandingRequests, false);
}
BENCHMARK(BM_PickLeastOutstandingRequests);

}  // namespace

BENCHMARK_MAIN();
