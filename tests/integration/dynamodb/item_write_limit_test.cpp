#include "integration/dynamodb/item_write_limit.hpp"

#include <gtest/gtest.h>

namespace mysfits::testing {
namespace {

using namespace std::chrono_literals;
using Clock = ItemWriteLimit::Clock;

TEST(ItemWriteLimit, ABurstOfATenthOfASecondThenTheRate) {
  ItemWriteLimit limit(1'000);
  const auto start = Clock::time_point{} + 1h;
  int taken = 0;
  while (limit.take("item", 1, start))
    ++taken;
  EXPECT_EQ(taken, 100);
  EXPECT_FALSE(limit.take("item", 1, start + 900us)) << "less than one unit refilled";
  EXPECT_TRUE(limit.take("item", 1, start + 1ms));
  int later = 0;
  while (limit.take("item", 1, start + 11ms))
    ++later;
  EXPECT_EQ(later, 10);
}

TEST(ItemWriteLimit, EachItemHasItsOwnBucket) {
  ItemWriteLimit limit(20);  // a burst of 2 units: one transactional write
  const auto now = Clock::time_point{} + 1h;
  EXPECT_TRUE(limit.take("a", 2, now));
  EXPECT_FALSE(limit.take("a", 1, now));
  EXPECT_TRUE(limit.take("b", 2, now));
}

TEST(ItemWriteLimit, AQuietItemNeverSavesMoreThanTheBurst) {
  ItemWriteLimit limit(1'000);
  const auto start = Clock::time_point{} + 1h;
  EXPECT_TRUE(limit.take("item", 1, start));
  int taken = 0;
  while (limit.take("item", 1, start + 10s))
    ++taken;
  EXPECT_EQ(taken, 100);
}

}  // namespace
}  // namespace mysfits::testing
