#include <gtest/gtest.h>

#include "chaos/traffic.hpp"

namespace mysfits::chaos {
namespace {

Snapshot two(std::int64_t a_likes, bool a_adopted, std::int64_t b_likes, bool b_adopted) {
  return {{"a", {a_likes, a_adopted}}, {"b", {b_likes, b_adopted}}};
}

TEST(TrafficAudit, ExactCountsPass) {
  TrafficReport r;
  r.likes_acknowledged["a"] = 3;
  r.adopts_acknowledged.insert("b");
  EXPECT_TRUE(audit(two(1, false, 0, false), two(4, false, 0, true), r).empty());
}

TEST(TrafficAudit, LostLikeIsReported) {
  TrafficReport r;
  r.likes_acknowledged["a"] = 3;
  auto problems = audit(two(1, false, 0, false), two(3, false, 0, false), r);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].find("lost"), std::string::npos);
}

TEST(TrafficAudit, UnexplainedLikeIsReportedUnlessAFailedRequestExplainsIt) {
  TrafficReport r;
  r.likes_acknowledged["a"] = 1;
  EXPECT_EQ(audit(two(0, false, 0, false), two(2, false, 0, false), r).size(), 1u);
  r.likes_failed["a"] = 1;  // a like whose answer was lost may have been stored
  EXPECT_TRUE(audit(two(0, false, 0, false), two(2, false, 0, false), r).empty());
}

TEST(TrafficAudit, AdoptionProblems) {
  TrafficReport r;
  r.adopts_acknowledged.insert("a");
  EXPECT_EQ(audit(two(0, false, 0, false), two(0, false, 0, false), r).size(), 1u);  // lost
  TrafficReport none;
  EXPECT_EQ(audit(two(0, false, 0, false), two(0, false, 0, true), none).size(), 1u);  // stray
  EXPECT_EQ(audit(two(0, true, 0, false), two(0, false, 0, false), none).size(), 1u);  // revert
}

TEST(TrafficAudit, MissingMysfitIsReported) {
  TrafficReport r;
  EXPECT_EQ(audit(two(0, false, 0, false), {{"a", {0, false}}}, r).size(), 1u);
}

TEST(TrafficReport, Percentiles) {
  TrafficReport r;
  for (int i = 1; i <= 100; ++i)
    r.latencies_ms.push_back(i);
  EXPECT_DOUBLE_EQ(r.percentile(50), 50);
  EXPECT_DOUBLE_EQ(r.percentile(99), 99);
  EXPECT_DOUBLE_EQ(r.percentile(100), 100);
}

}  // namespace
}  // namespace mysfits::chaos
