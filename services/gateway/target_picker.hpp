#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "ingress/target_group_config.hpp"

namespace mysfits::gateway {

using SteadyTime = std::chrono::steady_clock::time_point;

// What a choice of target sees of one registered target at that moment.
struct TargetView {
  bool healthy = false;
  int in_flight = 0;
  std::optional<SteadyTime> slow_start_since;  // ramping up since then; none: a full share
  int registered_in = 0;                       // the configuration generation that registered it
};

// The inputs of one choice besides the targets: `turn` advances round robin (a counter the
// group's requests share), `draw` is uniform in [0, 1) for weighted choices.
struct PickInput {
  std::uint64_t turn = 0;
  double draw = 0;
  SteadyTime now{};
};

// A target group's choice of target, compiled from its configuration: pure and immutable, as
// the route table is, so the data plane calls it with the targets' state of the moment and
// tests with any state they like. The ALB's behaviour:
// - only healthy targets, unless fewer than minimum_healthy_targets are (then all: fail open);
// - round_robin: each in turn; while a target is in slow start, every target is chosen at
//   random in proportion to its weight instead (1, or the ramping target's share so far);
// - least_outstanding_requests: the fewest requests in flight, ties taken in turn;
// - weighted_random: at random in proportion to weight; every target weighs 1 (the ALB lowers
//   the weight of anomalous targets only with anomaly mitigation, which is refused).
class TargetPicker {
 public:
  TargetPicker() = default;
  explicit TargetPicker(const ingress::TargetGroupConfig& config);

  // The index of the chosen target; none only when no target is registered.
  std::optional<std::size_t> pick(std::span<const TargetView> targets, const PickInput& in) const;

  // A target's weight: 1, or for one in slow start its elapsed share of the duration (linear
  // from 0 to 1), as the ALB ramps a new target's requests up.
  double weight(const TargetView& target, SteadyTime now) const;

  // Whether a target that has just turned healthy starts slowly. Never without slow start.
  // After it was unhealthy, always. The first time, only if another target is healthy at a
  // full share and was registered before it: targets registered together (all of them, when
  // the gateway starts) take their full share at once, as on the ALB.
  bool starts_slowly(const TargetView& target, bool first_time_healthy,
                     std::span<const TargetView> others, SteadyTime now) const;

 private:
  ingress::Algorithm algorithm_ = ingress::Algorithm::kRoundRobin;
  std::chrono::seconds slow_start_{0};
  int min_healthy_ = 1;
};

}  // namespace mysfits::gateway
