#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace mysfits::cli {

// A target group's cumulative counters as the gateway publishes them (/status.json, each target
// group's "traffic"): requests answered, those answered 5xx, and a latency histogram whose
// bucket i counts requests that took at most upper_ms[i] (the last bound is +infinity).
struct TrafficCounters {
  std::uint64_t requests = 0;
  std::uint64_t errors_5xx = 0;
  std::vector<double> upper_ms;
  std::vector<std::uint64_t> counts;
};

// What happened between two readings of the counters: one analysis window.
struct TrafficWindow {
  std::uint64_t requests = 0;
  std::uint64_t errors_5xx = 0;
  double p99_ms = 0;  // the upper bound of the bucket that holds the 99th percentile
  double error_rate_pct() const {
    return requests == 0 ? 0.0 : 100.0 * static_cast<double>(errors_5xx) / requests;
  }
};

// after - before. Counters that went backwards (the gateway restarted) count from zero.
TrafficWindow window_between(const TrafficCounters& before, const TrafficCounters& after);

struct CanaryThresholds {
  double max_error_rate_pct = 1.0;
  double max_p99_ms = 500.0;
  std::uint64_t min_requests = 20;
};

enum class Verdict { kPass, kBreach, kInconclusive };
const char* verdict_name(Verdict verdict);

// The step's verdict on one window: too few requests to judge is inconclusive; otherwise a 5xx
// rate or a p99 over its threshold is a breach. reason says which, in words.
Verdict judge(const TrafficWindow& window, const CanaryThresholds& thresholds, std::string& reason);

}  // namespace mysfits::cli
