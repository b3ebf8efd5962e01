#include "services/gateway/target_group.hpp"

#include <gtest/gtest.h>

#include <map>

namespace mysfits::gateway {
namespace {

using std::chrono::milliseconds;

std::vector<std::shared_ptr<Target>> targets(const ingress::TargetGroupConfig& config, int n) {
  std::vector<std::shared_ptr<Target>> out;
  for (int i = 0; i < n; ++i)
    out.push_back(std::make_shared<Target>("127.0.0.1:" + std::to_string(9000 + i), config,
                                           milliseconds(1000), milliseconds(1000)));
  return out;
}

TEST(HealthTracker, InitialTargetNeedsOnePassToBecomeHealthy) {
  HealthTracker t;
  EXPECT_EQ(t.record(true, {}), TargetState::kHealthy);
}

TEST(HealthTracker, ThresholdsCountConsecutiveResults) {
  ingress::HealthCheck hc;
  hc.healthy_threshold = 3;
  hc.unhealthy_threshold = 2;
  HealthTracker t;
  t.record(true, hc);
  EXPECT_EQ(t.record(false, hc), TargetState::kHealthy);
  EXPECT_EQ(t.record(true, hc), TargetState::kHealthy);  // the failure streak is broken
  EXPECT_EQ(t.record(false, hc), TargetState::kHealthy);
  EXPECT_EQ(t.record(false, hc), TargetState::kUnhealthy);
  EXPECT_EQ(t.record(true, hc), TargetState::kUnhealthy);
  EXPECT_EQ(t.record(true, hc), TargetState::kUnhealthy);
  EXPECT_EQ(t.record(true, hc), TargetState::kHealthy);
}

TEST(TargetGroup, NoRegisteredTargetPicksNothing) {
  TargetGroup group({}, "svc:80", {});
  EXPECT_EQ(group.pick(), nullptr);
}

TEST(TargetGroup, RoundRobinSkipsUnhealthyTargetsEvenly) {
  ingress::TargetGroupConfig config;
  auto ts = targets(config, 3);
  ts[0]->set_state(TargetState::kUnhealthy);
  ts[1]->set_state(TargetState::kHealthy);
  ts[2]->set_state(TargetState::kHealthy);
  TargetGroup group(config, "svc:80", ts);
  std::map<std::string, int> hits;
  for (int i = 0; i < 100; ++i)
    ++hits[group.pick()->address()];
  EXPECT_EQ(hits.count("127.0.0.1:9000"), 0U);
  EXPECT_EQ(hits["127.0.0.1:9001"], 50);
  EXPECT_EQ(hits["127.0.0.1:9002"], 50);
}

TEST(TargetGroup, FailsOpenWhenNoTargetIsHealthy) {
  ingress::TargetGroupConfig config;
  auto ts = targets(config, 2);
  for (auto& t : ts)
    t->set_state(TargetState::kUnhealthy);
  TargetGroup group(config, "svc:80", ts);
  EXPECT_TRUE(group.failing_open());
  std::map<std::string, int> hits;
  for (int i = 0; i < 10; ++i)
    ++hits[group.pick()->address()];
  EXPECT_EQ(hits.size(), 2U);
}

TEST(TargetGroup, LeastOutstandingRequestsPicksTheIdlestHealthyTarget) {
  ingress::TargetGroupConfig config;
  config.algorithm = ingress::Algorithm::kLeastOutstandingRequests;
  auto ts = targets(config, 3);
  for (auto& t : ts)
    t->set_state(TargetState::kHealthy);
  ts[0]->begin_request();
  ts[0]->begin_request();
  ts[2]->begin_request();
  TargetGroup group(config, "svc:80", ts);
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(group.pick()->address(), "127.0.0.1:9001");
}

}  // namespace
}  // namespace mysfits::gateway
