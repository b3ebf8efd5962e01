#include "services/gateway/target_picker.hpp"

#include <algorithm>
#include <boost/container/small_vector.hpp>
#include <limits>

namespace mysfits::gateway {
namespace {

// Most target groups have a handful of targets: no allocation for those.
using Indexes = boost::container::small_vector<std::size_t, 8>;

std::size_t weighted_choice(std::span<const TargetView> targets, const Indexes& eligible,
                            const TargetPicker& picker, const PickInput& in) {
  double total = 0;
  for (std::size_t i : eligible)
    total += picker.weight(targets[i], in.now);
  if (total <= 0)  // every one just entered slow start: equal shares
    return eligible[static_cast<std::size_t>(in.draw * static_cast<double>(eligible.size()))];
  double left = in.draw * total;
  for (std::size_t i : eligible) {
    left -= picker.weight(targets[i], in.now);
    if (left < 0)
      return i;
  }
  return eligible.back();  // rounding at the top end of the draw
}

}  // namespace

TargetPicker::TargetPicker(const ingress::TargetGroupConfig& config)
    : algorithm_(config.algorithm),
      slow_start_(config.slow_start_seconds),
      min_healthy_(config.min_healthy_targets) {}

double TargetPicker::weight(const TargetView& target, SteadyTime now) const {
  if (!target.slow_start_since || slow_start_.count() == 0)
    return 1.0;
  const double elapsed = std::chrono::duration<double>(now - *target.slow_start_since).count();
  return std::clamp(elapsed / static_cast<double>(slow_start_.count()), 0.0, 1.0);
}

std::optional<std::size_t> TargetPicker::pick(std::span<const TargetView> targets,
                                              const PickInput& in) const {
  if (targets.empty())
    return std::nullopt;
  Indexes eligible;
  for (std::size_t i = 0; i < targets.size(); ++i) {
    if (targets[i].healthy)
      eligible.push_back(i);
  }
  const bool fail_open = static_cast<int>(eligible.size()) < min_healthy_;
  if (fail_open) {
    eligible.clear();
    for (std::size_t i = 0; i < targets.size(); ++i)
      eligible.push_back(i);
  }
  const std::size_t n = eligible.size();
  switch (algorithm_) {
    case ingress::Algorithm::kLeastOutstandingRequests: {
      std::size_t best = eligible[in.turn % n];
      for (std::size_t k = 1; k < n; ++k) {
        const std::size_t i = eligible[(in.turn + k) % n];
        if (targets[i].in_flight < targets[best].in_flight)
          best = i;
      }
      return best;
    }
    case ingress::Algorithm::kWeightedRandom:
      return weighted_choice(targets, eligible, *this, in);
    case ingress::Algorithm::kRoundRobin:
      break;
  }
  const bool ramping = !fail_open && std::any_of(eligible.begin(), eligible.end(), [&](auto i) {
    return weight(targets[i], in.now) < 1.0;
  });
  if (ramping)
    return weighted_choice(targets, eligible, *this, in);
  return eligible[in.turn % n];
}

bool TargetPicker::starts_slowly(const TargetView& target, bool first_time_healthy,
                                 std::span<const TargetView> others, SteadyTime now) const {
  if (slow_start_.count() == 0)
    return false;
  if (!first_time_healthy)
    return true;
  return std::any_of(others.begin(), others.end(), [&](const TargetView& other) {
    return other.healthy && weight(other, now) >= 1.0 && other.registered_in < target.registered_in;
  });
}

}  // namespace mysfits::gateway
