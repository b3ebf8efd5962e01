#pragma once

#include <array>
#include <atomic>
#include <boost/json/object.hpp>
#include <chrono>
#include <cstdint>
#include <limits>

namespace mysfits::gateway {

// What the ALB publishes per target group in CloudWatch (RequestCount, the 5xx answers its
// requests got, TargetResponseTime), counted by the gateway: cumulative since the target group
// first appeared and kept across reloads, so a canary step reads two snapshots of
// /status.json and analyses what happened between them. Updated with relaxed atomics on the
// request path; a reader may see one request's counts half applied, never torn values.
class TrafficCounters {
 public:
  // Upper bounds of the latency buckets, in milliseconds; one more bucket holds the rest.
  static constexpr std::array<double, 15> kUpperMs = {1,   2,   5,   10,   20,   50,   100,  200,
                                                      300, 500, 750, 1000, 2000, 5000, 10000};

  // One answered request: its status (the target's, or the gateway's own 502/503/504 for it)
  // and the time from choosing the target group to the answer.
  void record(int status, std::chrono::steady_clock::duration took);

  std::uint64_t requests() const { return requests_.load(std::memory_order_relaxed); }
  std::uint64_t errors_5xx() const { return errors_5xx_.load(std::memory_order_relaxed); }

  // {"requests": N, "errors_5xx": N, "latency_ms": {"le": [bounds], "counts": [one more]}}
  boost::json::object to_json() const;

 private:
  std::atomic<std::uint64_t> requests_{0};
  std::atomic<std::uint64_t> errors_5xx_{0};
  std::array<std::atomic<std::uint64_t>, kUpperMs.size() + 1> counts_{};
};

}  // namespace mysfits::gateway
