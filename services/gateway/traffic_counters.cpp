#include "services/gateway/traffic_counters.hpp"

#include <algorithm>
#include <boost/json.hpp>

namespace mysfits::gateway {

void TrafficCounters::record(int status, std::chrono::steady_clock::duration took) {
  const double ms = std::chrono::duration<double, std::milli>(took).count();
  const auto bucket = static_cast<std::size_t>(
      std::lower_bound(kUpperMs.begin(), kUpperMs.end(), ms) - kUpperMs.begin());
  counts_[bucket].fetch_add(1, std::memory_order_relaxed);
  if (status >= 500 && status <= 599)
    errors_5xx_.fetch_add(1, std::memory_order_relaxed);
  requests_.fetch_add(1, std::memory_order_relaxed);
}

boost::json::object TrafficCounters::to_json() const {
  boost::json::array le;
  for (double bound : kUpperMs)
    le.emplace_back(bound);
  boost::json::array counts;
  for (const auto& count : counts_)
    counts.emplace_back(count.load(std::memory_order_relaxed));
  return {{"requests", requests()},
          {"errors_5xx", errors_5xx()},
          {"latency_ms", {{"le", std::move(le)}, {"counts", std::move(counts)}}}};
}

}  // namespace mysfits::gateway
