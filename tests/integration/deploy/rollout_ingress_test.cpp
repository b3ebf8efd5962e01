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
#include <thread>

#include "manifest_set.hpp"
#include "support/http_probe.hpp"
#include "support/process.hpp"

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

// Requests served by the targets of target group `upstream` ("service:port"), from the status.
long long served(std::uint16_t admin_port, const std::string& upstream) {
  const auto status = http(admin_port, "GET", "/status.json");
  if (status.status != 200)
    return -1;
  const auto parsed = boost::json::parse(status.body);
  for (const auto& group : parsed.at("target_groups").as_array()) {
    if (group.at("upstream").as_string() != upstream)
      continue;
    long long total = 0;
    for (const auto& target : group.at("targets").as_array())
      total += target.at("requests").to_number<long long>();
    return total;
  }
  return -1;
}

bool all_healthy(std::uint16_t admin_port) {
  const auto status = http(admin_port, "GET", "/status.json");
  if (status.status != 200)
    return false;
  const auto parsed = boost::json::parse(status.body);
  for (const auto& group : parsed.at("target_groups").as_array()) {
    for (const auto& target : group.at("targets").as_array()) {
      if (target.at("state").as_string() != "healthy")
        return false;
    }
  }
  return true;
}

TEST(RolloutIngress, TheGatewaySplitsTrafficByTheCanaryWeight) {
  // Two monoliths stand in for the stable and the canary pods: what matters is which target
  // group the gateway picks, which its status counts.
  std::vector<std::unique_ptr<Process>> pods;
  std::vector<std::uint16_t> ports;
  for (const char* name : {"stable", "canary"}) {
    ports.push_back(free_port());
    pods.push_back(
        std::make_unique<Process>(bin_path("mysfits-monolith"), std::vector<std::string>{},
                                  std::map<std::string, std::string>{
                                      {"HOST", "127.0.0.1"},
                                      {"PORT", std::to_string(ports.back())},
                                      {"MYSFITS_DB", temp_dir() + "/rollout-" + name + ".db"}}));
    ASSERT_TRUE(wait_ready(ports.back(), "/readyz", 20s, pods.back().get())) << pods.back()->log();
  }
  const auto at = [](std::uint16_t port) { return "127.0.0.1:" + std::to_string(port); };
  const auto port = free_port();
  const auto admin_port = free_port();
  Process gateway(bin_path("mysfits-gateway"), {"--host",
                                                "127.0.0.1",
                                                "--port",
                                                std::to_string(port),
                                                "--admin-port",
                                                std::to_string(admin_port),
                                                "--ingress",
                                                ingress_at_weight(10),
                                                "--health-check-speedup",
                                                "20",
                                                "--upstream",
                                                kLike + "-stable:80=" + at(ports[0]),
                                                "--upstream",
                                                kLike + "-canary:80=" + at(ports[1]),
                                                "--upstream",
                                                kAdopt + "-stable:80=" + at(ports[0]),
                                                "--upstream",
                                                kAdopt + "-canary:80=" + at(ports[1]),
                                                "--upstream",
                                                kNolike + ":80=" + at(ports[0])});
  ASSERT_TRUE(wait_ready(admin_port, "/readyz", 20s, &gateway)) << gateway.log();
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (!all_healthy(admin_port) && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(20ms);  // polling health checks, not a synchronisation
  ASSERT_TRUE(all_healthy(admin_port)) << http(admin_port, "GET", "/status.json").body;

  constexpr int kRequests = 2000;
  for (int i = 0; i < kRequests; ++i)
    ASSERT_EQ(http(port, "POST", "/mysfits/rollout-weight/like").status, 404);  // unknown id
  const auto to_canary = served(admin_port, kLike + "-canary:80");
  const auto to_stable = served(admin_port, kLike + "-stable:80");
  std::cout << "canary weight 10: " << to_canary << " of " << kRequests << " to the canary, "
            << to_stable << " to stable\n";
  EXPECT_EQ(to_canary + to_stable, kRequests);
  // 10 % of 2,000 is 200 with a standard deviation of 13.4 (binomial); five deviations either
  // side leave a chance of about one in a million to fail a correct split.
  EXPECT_GE(to_canary, 133) << to_canary << " of " << kRequests << " to the canary";
  EXPECT_LE(to_canary, 267) << to_canary << " of " << kRequests << " to the canary";
}

}  // namespace
}  // namespace mysfits::testing::deploy
