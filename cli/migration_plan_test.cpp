#include "cli/migration_plan.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>

#include "ingress/serving.hpp"

namespace mysfits::cli {
namespace {

// Two stages of one Ingress, as deploy/k8s/stages has them: the second moves likes to a new
// service; the persistence-only route answers a fixed 404 in both.
std::string stage(bool split_like) {
  std::string yaml =
      "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\n"
      "  annotations:\n"
      "    alb.ingress.kubernetes.io/actions.closed: >-\n"
      "      {\"type\":\"fixed-response\",\"fixedResponseConfig\":{\"statusCode\":\"404\"}}\n"
      "spec:\n  ingressClassName: alb\n  rules:\n    - http:\n        paths:\n"
      "          - path: /mysfits/*/fulfill-like\n            pathType: ImplementationSpecific\n"
      "            backend:\n              service:\n                name: closed\n"
      "                port:\n                  name: use-annotation\n";
  if (split_like)
    yaml +=
        "          - path: /mysfits/*/like\n            pathType: ImplementationSpecific\n"
        "            backend:\n              service:\n                name: like\n"
        "                port:\n                  number: 80\n";
  yaml +=
      "          - path: /*\n            pathType: ImplementationSpecific\n"
      "            backend:\n              service:\n                name: mono\n"
      "                port:\n                  number: 80\n";
  return yaml;
}

ingress::RouteTable routes_of(const std::string& yaml) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("migration-plan-" + std::to_string(::getpid()) + ".yaml");
  std::ofstream(path) << yaml;
  auto serving = ingress::load_serving({path.string()});
  std::filesystem::remove(path);
  if (!serving)
    throw std::runtime_error(serving.error().message);
  return serving->routes;
}

TEST(MigrationPlan, NamesEveryRequestClassWhoseBackendChangesAndNoOther) {
  const auto before = routes_of(stage(false));
  const auto after = routes_of(stage(true));
  const auto changes = route_changes(before, after);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(
      to_json_line(changes[0]),
      R"({"method":"POST","example":"/mysfits/x/like","before":"mono:80","after":"like:80"})");
  // And back: the same class, the other way round.
  const auto back = route_changes(after, before);
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(back[0].before, "like:80");
  EXPECT_EQ(back[0].after, "mono:80");
  EXPECT_TRUE(route_changes(before, before).empty());
}

TEST(MigrationPlan, ACanaryStepForwardsTheMovedRouteByWeight) {
  const auto old_routes = routes_of(stage(false));
  for (int weight : {0, 10, 50, 100}) {
    SCOPED_TRACE(weight);
    const auto yaml = canary_ingress(stage(true), old_routes, {"like"}, weight);
    ASSERT_TRUE(yaml) << yaml.error().message;
    const auto step = routes_of(*yaml);
    // The moved route splits; everything else answers as both stages do.
    const auto changes = route_changes(old_routes, step);
    if (weight == 0) {
      EXPECT_TRUE(changes.empty());
      continue;
    }
    ASSERT_EQ(changes.size(), 1u);
    EXPECT_EQ(changes[0].example, "/mysfits/x/like");
    EXPECT_EQ(changes[0].after, weight == 100 ? std::string("like:80")
                                              : "like:80@" + std::to_string(weight) + ",mono:80@" +
                                                    std::to_string(100 - weight));
  }
}

TEST(MigrationPlan, ACanaryNeedsARouteToANewServiceThatTheOldStageSentToOneService) {
  const auto old_routes = routes_of(stage(false));
  const auto none = canary_ingress(stage(true), old_routes, {"adopt"}, 10);
  ASSERT_FALSE(none);
  EXPECT_NE(none.error().message.find("nothing to canary"), std::string::npos);
  // The old stage answers the fulfill route with a fixed 404: no Service to weigh against.
  const auto fixed = canary_ingress(stage(false), old_routes, {"closed"}, 10);
  ASSERT_FALSE(fixed);
  EXPECT_NE(fixed.error().message.find("fixed-response:404"), std::string::npos)
      << fixed.error().message;
}

}  // namespace
}  // namespace mysfits::cli
