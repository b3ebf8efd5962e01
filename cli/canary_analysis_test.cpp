#include "cli/canary_analysis.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace mysfits::cli {
namespace {

const std::vector<double> kBounds = {
    1, 2, 5, 10, 100, 1000, std::numeric_limits<double>::infinity()};

TrafficCounters counters(std::uint64_t errors, std::vector<std::uint64_t> counts) {
  TrafficCounters c;
  c.upper_ms = kBounds;
  c.counts = std::move(counts);
  for (auto n : c.counts)
    c.requests += n;
  c.errors_5xx = errors;
  return c;
}

TEST(CanaryAnalysis, AWindowIsTheDifferenceOfTwoReadings) {
  const auto before = counters(3, {100, 50, 0, 0, 0, 0, 0});
  const auto after = counters(5, {190, 58, 2, 0, 0, 0, 0});
  const auto window = window_between(before, after);
  EXPECT_EQ(window.requests, 100u);
  EXPECT_EQ(window.errors_5xx, 2u);
  EXPECT_DOUBLE_EQ(window.error_rate_pct(), 2.0);
  // 90 in the first bucket, 8 in the second, 2 in the third: the 99th is in the third (<= 5 ms).
  EXPECT_DOUBLE_EQ(window.p99_ms, 5);
}

TEST(CanaryAnalysis, TheP99IsTheBucketThatHoldsTheNinetyNinthPercentRequest) {
  const auto none = counters(0, {0, 0, 0, 0, 0, 0, 0});
  EXPECT_DOUBLE_EQ(window_between(none, counters(0, {99, 0, 0, 0, 1, 0, 0})).p99_ms, 1);
  EXPECT_DOUBLE_EQ(window_between(none, counters(0, {98, 0, 0, 0, 2, 0, 0})).p99_ms, 100);
  EXPECT_EQ(window_between(none, counters(0, {0, 0, 0, 0, 0, 0, 5})).p99_ms,
            std::numeric_limits<double>::infinity());
  EXPECT_DOUBLE_EQ(window_between(none, none).p99_ms, 0);
}

TEST(CanaryAnalysis, CountersThatWentBackwardsCountFromZero) {
  const auto before = counters(9, {500, 0, 0, 0, 0, 0, 0});
  const auto after = counters(1, {20, 0, 0, 0, 0, 0, 0});
  const auto window = window_between(before, after);
  EXPECT_EQ(window.requests, 20u);
  EXPECT_EQ(window.errors_5xx, 1u);
}

TEST(CanaryAnalysis, TooFewRequestsAreInconclusive) {
  TrafficWindow window{19, 19, 900};
  std::string reason;
  EXPECT_EQ(judge(window, {}, reason), Verdict::kInconclusive);
  EXPECT_NE(reason.find("19 requests"), std::string::npos) << reason;
}

TEST(CanaryAnalysis, AnErrorRateOrP99PastItsThresholdIsABreach) {
  std::string reason;
  EXPECT_EQ(judge({100, 1, 10}, {}, reason), Verdict::kPass) << reason;  // exactly 1 %: allowed
  EXPECT_EQ(judge({100, 2, 10}, {}, reason), Verdict::kBreach);
  EXPECT_NE(reason.find("5xx rate 2.0 %"), std::string::npos) << reason;
  EXPECT_EQ(judge({100, 0, 500}, {}, reason), Verdict::kPass) << reason;
  EXPECT_EQ(judge({100, 0, 1000}, {}, reason), Verdict::kBreach);
  EXPECT_NE(reason.find("p99 1000 ms"), std::string::npos) << reason;
  CanaryThresholds strict{0, 50, 1};
  EXPECT_EQ(judge({1, 1, 1}, strict, reason), Verdict::kBreach);
  EXPECT_EQ(judge({1, 0, 60}, strict, reason), Verdict::kBreach);
}

}  // namespace
}  // namespace mysfits::cli
