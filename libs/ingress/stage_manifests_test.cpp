#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "ingress/serving.hpp"
#include "ingress/test_support.hpp"

// The project's real stage manifests (deploy/k8s/stages/*/ingress.yaml), the same files EKS
// reads: they must load unchanged and route as the ALB would.
namespace mysfits::ingress {
namespace {

struct Expectation {
  const char* method;
  const char* target;
  const char* backend;
};

RouteTable stage_table(const std::string& stage) {
  const std::string file = testing::source_path("deploy/k8s/stages/" + stage + "/ingress.yaml");
  auto manifests = load_manifest_files({file});
  EXPECT_TRUE(manifests.ok()) << (manifests.ok() ? "" : manifests.error().message);
  if (!manifests.ok())
    return RouteTable::build(Listener{}).value();
  auto lbs = build_load_balancers(manifests.value());
  EXPECT_TRUE(lbs.ok()) << (lbs.ok() ? "" : lbs.error().message);
  if (!lbs.ok() || lbs->size() != 1)
    return RouteTable::build(Listener{}).value();
  const LoadBalancer& lb = lbs->front();
  EXPECT_EQ(lb.scheme, "internet-facing");
  EXPECT_TRUE(lb.attributes.drop_invalid_header_fields);
  for (const TargetGroupConfig& tg : lb.target_groups) {
    EXPECT_EQ(tg.health_check.path, "/readyz") << tg.id;
    EXPECT_EQ(tg.health_check.interval_seconds, 5) << tg.id;
    EXPECT_EQ(tg.health_check.timeout_seconds, 3) << tg.id;
    EXPECT_EQ(tg.deregistration_delay_seconds, 30) << tg.id;
    EXPECT_EQ(tg.target_type, "ip") << tg.id;
  }
  return RouteTable::build(*lb.serving_listener()).value();
}

void expect_routes(const std::string& stage, const std::vector<Expectation>& cases) {
  const RouteTable t = stage_table(stage);
  for (const Expectation& c : cases) {
    EXPECT_EQ(test::route(t, test::Req{c.target, c.method}).first, c.backend)
        << stage << ": " << c.method << " " << c.target;
  }
}

constexpr const char* kNolike = "mythical-mysfits-nolike:80";
constexpr const char* kHidden = "fixed-response:404";

TEST(StageManifests, MonolithServesEverythingButThePersistenceRoutes) {
  expect_routes("monolith", {{"GET", "/", kNolike},
                             {"GET", "/mysfits", kNolike},
                             {"GET", "/mysfits?filter=GoodEvil&value=Good", kNolike},
                             {"POST", "/mysfits/abc/like", kNolike},
                             {"POST", "/mysfits/abc/adopt", kNolike},
                             {"POST", "/mysfits/abc/fulfill-like", kHidden},
                             {"POST", "/mysfits/abc/fulfill-adopt?x=1", kHidden}});
}

TEST(StageManifests, LikeStageSendsLikesToTheLikeService) {
  expect_routes("like", {{"GET", "/mysfits", kNolike},
                         {"POST", "/mysfits/abc/like", "mythical-mysfits-like:80"},
                         {"POST", "/mysfits/abc/likes", kNolike},
                         {"POST", "/mysfits/abc/adopt", kNolike},
                         {"POST", "/mysfits/abc/fulfill-like", kHidden},
                         {"POST", "/mysfits/abc/fulfill-adopt", kHidden}});
}

TEST(StageManifests, LikeAdoptStageSplitsBothServices) {
  expect_routes("like-adopt", {{"GET", "/", kNolike},
                               {"POST", "/mysfits/abc/like", "mythical-mysfits-like:80"},
                               {"POST", "/mysfits/abc/adopt", "mythical-mysfits-adopt:80"},
                               {"POST", "/mysfits/abc/fulfill-like", kHidden},
                               {"POST", "/mysfits/abc/fulfill-adopt", kHidden},
                               {"GET", "/mysfits/abc", kNolike}});
}

TEST(StageManifests, PersistenceRoutesAnswerADocumentedJson404) {
  const RouteTable t = stage_table("like-adopt");
  const auto* fixed = std::get_if<FixedResponse>(&t.listener().rules[0].action);
  ASSERT_NE(fixed, nullptr);
  EXPECT_EQ(fixed->status_code, 404);
  EXPECT_EQ(fixed->content_type, "application/json");
  EXPECT_EQ(fixed->body, R"({"error":"not_found","message":"no such route"})");
}

std::string stage_file(const std::string& stage) {
  return testing::source_path("deploy/k8s/stages/" + stage + "/ingress.yaml");
}

TEST(Serving, ServesTheStageAndRefusesTwoStagesAtOnce) {
  auto serving = load_serving({stage_file("like")});
  ASSERT_TRUE(serving.ok()) << serving.error().message;
  EXPECT_TRUE(serving->notes.empty());
  EXPECT_EQ(test::backend(serving->routes, "/mysfits/a/like", "POST"), "mythical-mysfits-like:80");
  // Both stages define the same Ingress: refused, naming it.
  auto both = load_serving({stage_file("like"), stage_file("monolith")});
  ASSERT_FALSE(both.ok());
  EXPECT_NE(both.error().message.find("default/mythical-mysfits-eks: defined twice"),
            std::string::npos)
      << both.error().message;
}

TEST(Serving, SeveralLoadBalancersServeTheFirstAndSaySo) {
  const std::string other =
      (std::filesystem::temp_directory_path() /
       ("serving-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + ".yaml"))
          .string();
  std::ofstream(other) << "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n"
                          "  name: zz-other\nspec:\n  ingressClassName: alb\n";
  auto serving = load_serving({stage_file("like"), other});
  std::filesystem::remove(other);
  ASSERT_TRUE(serving.ok()) << serving.error().message;
  EXPECT_EQ(serving->load_balancer.group, "default/mythical-mysfits-eks");
  ASSERT_EQ(serving->notes.size(), 1u);
  EXPECT_NE(serving->notes[0].find("2 load balancers"), std::string::npos);
  auto none = load_serving({testing::source_path("deploy/k8s/stages/like/kustomization.yaml")});
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.error().message.find("no Ingress of class alb"), std::string::npos);
}

}  // namespace
}  // namespace mysfits::ingress
