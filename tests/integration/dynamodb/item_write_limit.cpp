#include "integration/dynamodb/item_write_limit.hpp"

#include <algorithm>

namespace mysfits::testing {

namespace {
// A transactional write of one item costs 2 units: the largest single write we model.
constexpr double kLargestWrite = 2;
}  // namespace

ItemWriteLimit::ItemWriteLimit(double units_per_second)
    : rate_(units_per_second), burst_(std::max(units_per_second / 10, kLargestWrite)) {}

bool ItemWriteLimit::take(const std::string& item, double units, Clock::time_point now) {
  auto [it, added] = buckets_.try_emplace(item, Bucket{burst_, now});
  Bucket& bucket = it->second;
  if (!added) {
    double seconds = std::chrono::duration<double>(now - bucket.refilled).count();
    bucket.units = std::min(burst_, bucket.units + std::max(0.0, seconds) * rate_);
    bucket.refilled = std::max(bucket.refilled, now);
  }
  if (bucket.units < units)
    return false;
  bucket.units -= units;
  return true;
}

}  // namespace mysfits::testing
