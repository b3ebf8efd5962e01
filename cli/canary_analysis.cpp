#include "cli/canary_analysis.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace mysfits::cli {
namespace {

std::uint64_t delta(std::uint64_t before, std::uint64_t after) {
  return after >= before ? after - before : after;
}

}  // namespace

TrafficWindow window_between(const TrafficCounters& before, const TrafficCounters& after) {
  TrafficWindow window;
  const bool restarted = after.requests < before.requests;
  window.requests = restarted ? after.requests : after.requests - before.requests;
  window.errors_5xx = restarted ? after.errors_5xx : delta(before.errors_5xx, after.errors_5xx);
  const bool same_buckets = before.upper_ms == after.upper_ms && !restarted;
  std::vector<std::uint64_t> counts(after.counts.size());
  std::uint64_t total = 0;
  for (std::size_t i = 0; i < after.counts.size(); ++i) {
    counts[i] = same_buckets && i < before.counts.size() ? delta(before.counts[i], after.counts[i])
                                                         : after.counts[i];
    total += counts[i];
  }
  if (total == 0)
    return window;
  // The smallest bucket whose cumulative count reaches 99 % of the window's requests.
  const auto rank = static_cast<std::uint64_t>(std::ceil(0.99 * static_cast<double>(total)));
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < counts.size(); ++i) {
    seen += counts[i];
    if (seen >= rank) {
      window.p99_ms =
          i < after.upper_ms.size() ? after.upper_ms[i] : std::numeric_limits<double>::infinity();
      break;
    }
  }
  return window;
}

const char* verdict_name(Verdict verdict) {
  switch (verdict) {
    case Verdict::kPass:
      return "pass";
    case Verdict::kBreach:
      return "breach";
    case Verdict::kInconclusive:
      return "inconclusive";
  }
  return "?";
}

Verdict judge(const TrafficWindow& window, const CanaryThresholds& thresholds,
              std::string& reason) {
  if (window.requests < thresholds.min_requests) {
    reason = fmt::format("{} requests, fewer than the {} a window needs", window.requests,
                         thresholds.min_requests);
    return Verdict::kInconclusive;
  }
  if (window.error_rate_pct() > thresholds.max_error_rate_pct) {
    reason = fmt::format("5xx rate {:.1f} % over {:g} % ({} of {})", window.error_rate_pct(),
                         thresholds.max_error_rate_pct, window.errors_5xx, window.requests);
    return Verdict::kBreach;
  }
  if (window.p99_ms > thresholds.max_p99_ms) {
    reason = fmt::format("p99 {:g} ms over {:g} ms", window.p99_ms, thresholds.max_p99_ms);
    return Verdict::kBreach;
  }
  reason = fmt::format("5xx rate {:.1f} %, p99 at most {:g} ms, {} requests",
                       window.error_rate_pct(), window.p99_ms, window.requests);
  return Verdict::kPass;
}

}  // namespace mysfits::cli
