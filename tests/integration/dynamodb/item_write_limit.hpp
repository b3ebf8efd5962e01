#pragma once

#include <chrono>
#include <string>
#include <unordered_map>

namespace mysfits::testing {

// DynamoDB's ceiling on one item: a partition takes at most 1,000 write units a second, and one
// item lives in one partition, so however much capacity the table has, the writes to one item
// cannot go faster. Modelled as a token bucket per item: `units_per_second` refill, and a burst
// of a tenth of a second's units (at least one write's worth), so a quiet item does not get a
// whole second's worth at once. Not thread-safe: the caller holds its own lock.
class ItemWriteLimit {
 public:
  using Clock = std::chrono::steady_clock;

  explicit ItemWriteLimit(double units_per_second);

  // Takes `units` from the item's bucket; false (nothing taken) when it has fewer.
  bool take(const std::string& item, double units, Clock::time_point now);

 private:
  struct Bucket {
    double units = 0;
    Clock::time_point refilled;
  };
  double rate_;
  double burst_;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace mysfits::testing
