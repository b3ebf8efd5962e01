// The Ingress of the Argo Rollouts overlays (deploy/k8s/overlays/release-rollouts) as the ALB
// serves it at each canary weight: Argo Rollouts rewrites the actions annotation of the rule's
// root Service to a forward between the canary and the stable Service (canary first, weights in
// percent, written as its Go structs marshal them), and the controller turns that into a weighted
// forward action. `mysfits routes` must name the same legs and weights, and the gateway must split
// real traffic by them.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "manifest_set.hpp"
#include "support/process.hpp"
#include "support/weighted_split.hpp"

namespace mysfits::testing::deploy {
namespace {

using namespace std::chrono_literals;

const std::string kOverlay = "deploy/k8s/overlays/release-rollouts/like-adopt";

// The annotation value Argo Rollouts writes for a canary weight (rollout/trafficrouting/alb in
// its source: canary leg first, then stable with the rest of 100).
std::string argo_forward(const std::string& service, int canary_weight) {
  boost::json::object canary{
      {"ServiceName", service + "-canary"}, {"ServicePort", "80"}, {"Weight", canary_weight}};
  boost::json::object stable{
      {"ServiceName", service + "-stable"}, {"ServicePort", "80"}, {"Weight", 100 - canary_weight}};
  boost::json::object action{
      {"Type", "forward"},
      {"ForwardConfig", boost::json::object{{"TargetGroups", boost::json::array{canary, stable}}}}};
  return boost::json::serialize(action);
}

// The overlay's Ingress with the like rule at canary_weight, written to a file.
std::string ingress_at_weight(int canary_weight) {
  const auto& rendered = rendered_overlay(kOverlay);
  if (!rendered.manifests)
    throw std::runtime_error(rendered.error);
  YAML::Node ingress = YAML::Clone(rendered.manifests->find("Ingress", "mythical-mysfits-eks"));
  ingress["metadata"]["annotations"]["alb.ingress.kubernetes.io/actions.mythical-mysfits-like"] =
      argo_forward(kLike, canary_weight);
  const auto path = temp_dir() + "/rollout-ingress-" + std::to_string(canary_weight) + ".yaml";
  YAML::Emitter out;
  out << ingress;
  std::ofstream(path) << out.c_str() << "\n";
  return path;
}

std::string backend(const std::string& file, const std::string& method, const std::string& path) {
  const auto result = run_command({bin_path("mysfits"), "routes", file, "--method", method, path});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  const auto line = boost::json::parse(result.out).as_object();
  return line.at("backend").is_string() ? std::string(line.at("backend").as_string()) : "null";
}

TEST(RolloutIngress, RoutesTheCanaryRuleByEachWeightArgoRolloutsWrites) {
  const std::string canary = kLike + "-canary:80";
  const std::string stable = kLike + "-stable:80";
  const std::vector<std::pair<int, std::string>> expected = {{0, stable},
                                                             {10, canary + "@10," + stable + "@90"},
                                                             {50, canary + "@50," + stable + "@50"},
                                                             {100, canary}};
  for (const auto& [weight, like] : expected) {
    SCOPED_TRACE("canary weight " + std::to_string(weight));
    const auto file = ingress_at_weight(weight);
    EXPECT_EQ(backend(file, "POST", "/mysfits/x/like"), like);
    // Nothing else moves: adopt keeps its own (stable) Rollout, the rest stays on the monolith,
    // and the persistence-only routes stay closed.
    EXPECT_EQ(backend(file, "POST", "/mysfits/x/adopt"), kAdopt + "-stable:80");
    EXPECT_EQ(backend(file, "GET", "/mysfits"), kNolike + ":80");
    EXPECT_EQ(backend(file, "POST", "/mysfits/x/fulfill-like"), "fixed-response:404");
  }
}

TEST(RolloutIngress, TheGatewaySplitsTrafficByTheCanaryWeight) {
  constexpr int kRequests = 2000;
  const auto served = split_requests(ingress_at_weight(10),
                                     {{kLike + "-stable:80", 0},
                                      {kLike + "-canary:80", 1},
                                      {kAdopt + "-stable:80", 0},
                                      {kAdopt + "-canary:80", 1},
                                      {kNolike + ":80", 0}},
                                     "/mysfits/rollout-weight/like", kRequests, 404);  // unknown id
  const auto to_canary = served.count(kLike + "-canary:80") ? served.at(kLike + "-canary:80") : 0;
  const auto to_stable = served.count(kLike + "-stable:80") ? served.at(kLike + "-stable:80") : 0;
  std::cout << "canary weight 10: " << to_canary << " of " << kRequests << " to the canary, "
            << to_stable << " to stable\n";
  EXPECT_EQ(to_canary + to_stable, static_cast<std::uint64_t>(kRequests));
  const auto bounds = binomial_bounds(kRequests, 0.10);
  EXPECT_GE(to_canary, bounds.low) << to_canary << " of " << kRequests << " to the canary";
  EXPECT_LE(to_canary, bounds.high) << to_canary << " of " << kRequests << " to the canary";
}

}  // namespace
}  // namespace mysfits::testing::deploy
