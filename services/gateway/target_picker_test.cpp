#include "services/gateway/target_picker.hpp"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <vector>

namespace mysfits::gateway {
namespace {

using namespace std::chrono_literals;

const SteadyTime kNow = SteadyTime(1000h);

TargetPicker picker(ingress::Algorithm algorithm, int slow_start_seconds = 0) {
  ingress::TargetGroupConfig config;
  config.algorithm = algorithm;
  config.slow_start_seconds = slow_start_seconds;
  return TargetPicker(config);
}

std::vector<TargetView> healthy(int n) {
  return std::vector<TargetView>(static_cast<std::size_t>(n), TargetView{true, 0, {}, 1});
}

// How often each target is chosen over n picks whose draws are spread evenly over [0, 1).
std::map<std::size_t, int> spread(const TargetPicker& p, const std::vector<TargetView>& targets,
                                  int n) {
  std::map<std::size_t, int> hits;
  for (int i = 0; i < n; ++i) {
    PickInput in{static_cast<std::uint64_t>(i), (i + 0.5) / n, kNow};
    ++hits[p.pick(targets, in).value()];
  }
  return hits;
}

TEST(TargetPicker, RoundRobinTakesEachHealthyTargetInTurn) {
  auto targets = healthy(3);
  targets[1].healthy = false;
  const auto p = picker(ingress::Algorithm::kRoundRobin);
  std::vector<std::size_t> order;
  for (std::uint64_t turn = 0; turn < 4; ++turn)
    order.push_back(p.pick(targets, PickInput{turn, 0.99, kNow}).value());
  EXPECT_EQ(order, (std::vector<std::size_t>{0, 2, 0, 2})) << "the draw plays no part";
}

TEST(TargetPicker, NoTargetRegisteredIsNoChoice) {
  EXPECT_FALSE(picker(ingress::Algorithm::kRoundRobin).pick({}, PickInput{}).has_value());
}

// weighted_random: a random spread by weight (every target weighs 1), not a rotation: the same
// draw picks the same target whatever the turn.
TEST(TargetPicker, WeightedRandomSpreadsByTheDrawAndWeight) {
  const auto p = picker(ingress::Algorithm::kWeightedRandom);
  const auto targets = healthy(4);
  for (std::uint64_t turn = 0; turn < 4; ++turn)
    EXPECT_EQ(p.pick(targets, PickInput{turn, 0.6, kNow}), 2u);
  EXPECT_EQ(spread(p, targets, 4000),
            (std::map<std::size_t, int>{{0, 1000}, {1, 1000}, {2, 1000}, {3, 1000}}));
  // With a real generator the shares are equal within sampling noise.
  std::mt19937_64 rng(42);
  std::map<std::size_t, int> hits;
  for (int i = 0; i < 40'000; ++i)
    ++hits[p.pick(targets, PickInput{0, std::uniform_real_distribution<double>(0, 1)(rng), kNow})
               .value()];
  for (const auto& [target, count] : hits)
    EXPECT_NEAR(count, 10'000, 400) << target;
}

TEST(TargetPicker, LeastOutstandingRequestsTakesTheIdlestTiesInTurn) {
  auto targets = healthy(3);
  targets[0].in_flight = 2;
  const auto p = picker(ingress::Algorithm::kLeastOutstandingRequests);
  EXPECT_EQ(p.pick(targets, PickInput{0, 0, kNow}), 1u);
  EXPECT_EQ(p.pick(targets, PickInput{2, 0, kNow}), 2u);
}

TEST(TargetPicker, FailsOpenToEveryTargetBelowTheHealthyMinimum) {
  auto targets = healthy(2);
  targets[0].healthy = targets[1].healthy = false;
  EXPECT_EQ(spread(picker(ingress::Algorithm::kRoundRobin), targets, 10),
            (std::map<std::size_t, int>{{0, 5}, {1, 5}}));
}

TEST(TargetPicker, SlowStartWeightGrowsLinearlyOverTheDuration) {
  const auto p = picker(ingress::Algorithm::kRoundRobin, 100);
  TargetView ramping{true, 0, kNow, 2};
  EXPECT_DOUBLE_EQ(p.weight(ramping, kNow), 0.0);
  EXPECT_DOUBLE_EQ(p.weight(ramping, kNow + 25s), 0.25);
  EXPECT_DOUBLE_EQ(p.weight(ramping, kNow + 50s), 0.5);
  EXPECT_DOUBLE_EQ(p.weight(ramping, kNow + 100s), 1.0);
  EXPECT_DOUBLE_EQ(p.weight(ramping, kNow + 150s), 1.0);
  EXPECT_DOUBLE_EQ(p.weight(TargetView{true, 0, {}, 1}, kNow), 1.0);
}

// Round robin with one target a quarter into its ramp: it gets 0.25 / 1.25 of the requests.
TEST(TargetPicker, ARampingTargetGetsItsShareSoFar) {
  const auto p = picker(ingress::Algorithm::kRoundRobin, 100);
  auto targets = healthy(2);
  targets[1].slow_start_since = kNow - 25s;
  EXPECT_EQ(spread(p, targets, 10'000), (std::map<std::size_t, int>{{0, 8000}, {1, 2000}}));
  targets[1].slow_start_since = kNow - 100s;  // the ramp is over: strict rotation again
  EXPECT_EQ(spread(p, targets, 10), (std::map<std::size_t, int>{{0, 5}, {1, 5}}));
}

TEST(TargetPicker, OnlyATargetRegisteredAfterAHealthyFullOneStartsSlowly) {
  const auto p = picker(ingress::Algorithm::kRoundRobin, 60);
  const TargetView fresh{true, 0, {}, 2};
  const std::vector<TargetView> earlier_full{{true, 0, {}, 1}};
  const std::vector<TargetView> same_batch{{true, 0, {}, 2}};
  const std::vector<TargetView> earlier_ramping{{true, 0, kNow - 10s, 1}};
  const std::vector<TargetView> earlier_unhealthy{{false, 0, {}, 1}};
  EXPECT_TRUE(p.starts_slowly(fresh, true, earlier_full, kNow));
  EXPECT_FALSE(p.starts_slowly(fresh, true, same_batch, kNow)) << "registered together";
  EXPECT_FALSE(p.starts_slowly(fresh, true, earlier_ramping, kNow));
  EXPECT_FALSE(p.starts_slowly(fresh, true, earlier_unhealthy, kNow));
  EXPECT_TRUE(p.starts_slowly(fresh, false, same_batch, kNow)) << "healthy again after failing";
  EXPECT_FALSE(picker(ingress::Algorithm::kRoundRobin).starts_slowly(fresh, false, {}, kNow))
      << "no slow start configured";
}

}  // namespace
}  // namespace mysfits::gateway
