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

// Slow start as the health checker drives it: a target a reload added ramps up once it turns
// healthy next to a healthy one at full share, and leaves slow start when it turns unhealthy.
TEST(TargetGroup, ATargetAddedLaterRampsUpWhenItTurnsHealthyAndStopsWhenItFails) {
  ingress::TargetGroupConfig config;
  config.slow_start_seconds = 60;
  auto old_target = std::make_shared<Target>("127.0.0.1:9000", config, milliseconds(1000),
                                             milliseconds(1000), /*registered_in=*/1);
  auto new_target = std::make_shared<Target>("127.0.0.1:9001", config, milliseconds(1000),
                                             milliseconds(1000), /*registered_in=*/2);
  TargetGroup group(config, "svc:80", {old_target, new_target});
  const auto now = std::chrono::steady_clock::now();
  old_target->set_state(TargetState::kHealthy);
  group.note_health_change(*old_target, TargetState::kInitial, TargetState::kHealthy, now);
  EXPECT_FALSE(old_target->slow_start_since()) << "nothing was healthy before it";

  new_target->set_state(TargetState::kHealthy);
  group.note_health_change(*new_target, TargetState::kInitial, TargetState::kHealthy, now);
  EXPECT_EQ(new_target->slow_start_since(), now);
  std::map<std::string, int> hits;
  for (int i = 0; i < 200; ++i)
    ++hits[group.pick()->address()];
  EXPECT_GT(hits["127.0.0.1:9000"], 190) << "the new target has barely started its ramp";

  new_target->set_state(TargetState::kUnhealthy);
  group.note_health_change(*new_target, TargetState::kHealthy, TargetState::kUnhealthy, now);
  EXPECT_FALSE(new_target->slow_start_since());
}

TEST(TargetGroup, TargetsRegisteredTogetherTakeTheirFullShareAtOnce) {
  ingress::TargetGroupConfig config;
  config.slow_start_seconds = 60;
  auto ts = targets(config, 2);
  TargetGroup group(config, "svc:80", ts);
  const auto now = std::chrono::steady_clock::now();
  for (auto& t : ts) {
    t->set_state(TargetState::kHealthy);
    group.note_health_change(*t, TargetState::kInitial, TargetState::kHealthy, now);
    EXPECT_FALSE(t->slow_start_since()) << t->address();
  }
}

}  // namespace
}  // namespace mysfits::gateway
