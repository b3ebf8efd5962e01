#include "ingress/target_group_config.hpp"

#include <gtest/gtest.h>

namespace mysfits::ingress {
namespace {

core::Result<TargetGroupConfig> parse(const std::map<std::string, std::string>& values) {
  std::map<std::string, std::string> full;
  for (const auto& [k, v] : values)
    full[std::string(kAnnotationPrefix) + k] = v;
  return parse_target_group_config(Annotations(full, "Ingress default/web"), TargetGroupConfig{});
}

TEST(TargetGroupConfig, DefaultsAreTheControllers) {
  auto tg = parse({});
  ASSERT_TRUE(tg.ok());
  const HealthCheck& hc = tg->health_check;
  EXPECT_EQ(hc.path, "/");
  EXPECT_EQ(hc.port, "traffic-port");
  EXPECT_EQ(hc.protocol, "HTTP");
  EXPECT_EQ(hc.interval_seconds, 15);
  EXPECT_EQ(hc.timeout_seconds, 5);
  EXPECT_EQ(hc.healthy_threshold, 2);
  EXPECT_EQ(hc.unhealthy_threshold, 2);
  EXPECT_TRUE(hc.success_codes.contains(200));
  EXPECT_FALSE(hc.success_codes.contains(204));
  EXPECT_EQ(tg->algorithm, Algorithm::kRoundRobin);
  EXPECT_EQ(tg->deregistration_delay_seconds, 300);
  EXPECT_EQ(tg->min_healthy_targets, 1);
}

TEST(TargetGroupConfig, AnnotationsOverrideDefaults) {
  auto tg = parse({{"healthcheck-path", "/healthz?deep=1"},
                   {"healthcheck-interval-seconds", "10"},
                   {"healthcheck-timeout-seconds", "3"},
                   {"healthy-threshold-count", "3"},
                   {"unhealthy-threshold-count", "4"},
                   {"success-codes", "200-204,302"},
                   {"target-group-attributes",
                    "deregistration_delay.timeout_seconds=30,"
                    "load_balancing.algorithm.type=least_outstanding_requests"}});
  ASSERT_TRUE(tg.ok()) << tg.error().message;
  EXPECT_EQ(tg->health_check.path, "/healthz?deep=1");
  EXPECT_EQ(tg->health_check.interval_seconds, 10);
  EXPECT_EQ(tg->health_check.healthy_threshold, 3);
  EXPECT_EQ(tg->health_check.unhealthy_threshold, 4);
  EXPECT_TRUE(tg->health_check.success_codes.contains(204));
  EXPECT_TRUE(tg->health_check.success_codes.contains(302));
  EXPECT_FALSE(tg->health_check.success_codes.contains(301));
  EXPECT_EQ(tg->deregistration_delay_seconds, 30);
  EXPECT_EQ(tg->algorithm, Algorithm::kLeastOutstandingRequests);
}

TEST(TargetGroupConfig, GrpcChangesTheHealthCheckDefaults) {
  auto tg = parse({{"backend-protocol-version", "GRPC"}});
  ASSERT_TRUE(tg.ok());
  EXPECT_EQ(tg->health_check.path, "/AWS.ALB/healthcheck");
  EXPECT_TRUE(tg->health_check.success_codes.contains(12));
}

TEST(TargetGroupConfig, OutOfRangeValuesAreRefusedNamingTheAnnotation) {
  const std::vector<std::pair<std::map<std::string, std::string>, const char*>> cases = {
      {{{"healthcheck-interval-seconds", "1"}},
       "healthcheck-interval-seconds: 1 is outside 5..300"},
      {{{"healthy-threshold-count", "x"}}, "healthy-threshold-count: expected an integer"},
      {{{"success-codes", "100"}}, "success-codes"},
      {{{"success-codes", "299-200"}}, "success-codes"},
      {{{"healthcheck-timeout-seconds", "20"}}, "shorter than the interval"},
      {{{"target-group-attributes", "nonsense"}}, "is not key=value"},
      {{{"target-group-attributes", "load_balancing.algorithm.type=random"}}, "unknown"},
      {{{"healthcheck-port", "http"}}, "traffic-port or a port number"},
  };
  for (const auto& [values, what] : cases) {
    auto tg = parse(values);
    ASSERT_FALSE(tg.ok()) << what;
    EXPECT_NE(tg.error().message.find(what), std::string::npos) << tg.error().message;
    EXPECT_NE(tg.error().message.find("Ingress default/web"), std::string::npos);
  }
}

TEST(Annotations, StringMapHonoursEscapedCommas) {
  Annotations a({{std::string(kAnnotationPrefix) + "m", "a=1, b = x\\,y ,,c="}}, "here");
  auto m = a.string_map("m");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->at("a"), "1");
  EXPECT_EQ(m->at("b"), "x,y");
  EXPECT_EQ(m->at("c"), "");
  EXPECT_EQ(a.string_list("m").size(), 4u);
}

// Nothing accepted and ignored: an attribute the gateway honours, or a refusal that says so.
TEST(TargetGroupConfig, SlowStartGoesWithRoundRobinOnlyAndWeightedRandomIsKept) {
  auto weighted = parse({{"target-group-attributes",
                          "load_balancing.algorithm.type=weighted_random,"
                          "load_balancing.algorithm.anomaly_mitigation=off"}});
  ASSERT_TRUE(weighted.ok()) << weighted.error().message;
  EXPECT_EQ(weighted->algorithm, Algorithm::kWeightedRandom);
  auto ramp = parse({{"target-group-attributes", "slow_start.duration_seconds=30"}});
  ASSERT_TRUE(ramp.ok()) << ramp.error().message;
  EXPECT_EQ(ramp->slow_start_seconds, 30);
  for (const char* algorithm : {"weighted_random", "least_outstanding_requests"}) {
    auto refused =
        parse({{"target-group-attributes", std::string("slow_start.duration_seconds=30,"
                                                       "load_balancing.algorithm.type=") +
                                               algorithm}});
    ASSERT_FALSE(refused.ok()) << algorithm;
    EXPECT_NE(refused.error().message.find("slow start cannot be combined with " +
                                           std::string(algorithm)),
              std::string::npos)
        << refused.error().message;
  }
}

TEST(TargetGroupConfig, AttributesTheGatewayDoesNotEmulateAreRefused) {
  for (const char* attribute : {"load_balancing.algorithm.type=weighted_random,"
                                "load_balancing.algorithm.anomaly_mitigation=on",
                                "stickiness.enabled=true"}) {
    auto refused = parse({{"target-group-attributes", attribute}});
    ASSERT_FALSE(refused.ok()) << attribute;
    EXPECT_NE(refused.error().message.find("is not emulated by the gateway"), std::string::npos)
        << refused.error().message;
  }
  EXPECT_TRUE(parse({{"target-group-attributes", "stickiness.enabled=false"}}).ok());
}

}  // namespace
}  // namespace mysfits::ingress
