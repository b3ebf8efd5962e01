// The Ingress of a canary step, as `mysfits migrate --canary` writes it, split by the gateway:
// at weight 10 the new service gets a tenth of the moved route's requests.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "cli/migration_plan.hpp"
#include "ingress/serving.hpp"
#include "support/build_tree.hpp"
#include "support/process.hpp"
#include "support/weighted_split.hpp"

namespace mysfits::testing {
namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(CanaryWeights, AtTenTheNewServiceGetsATenthOfTwoThousandLikes) {
  auto old_routes = ingress::load_serving({source_path("deploy/k8s/stages/monolith/ingress.yaml")});
  ASSERT_TRUE(old_routes) << old_routes.error().message;
  auto step = cli::canary_ingress(read_file(source_path("deploy/k8s/stages/like/ingress.yaml")),
                                  old_routes->routes, {"mythical-mysfits-like"}, 10);
  ASSERT_TRUE(step) << step.error().message;
  const auto file = temp_dir() + "/canary-step-10.yaml";
  std::ofstream(file) << *step;

  constexpr int kRequests = 2000;
  auto served =
      split_requests(file, {{"mythical-mysfits-like:80", 1}, {"mythical-mysfits-nolike:80", 0}},
                     "/mysfits/canary-weight/like", kRequests, 404);  // an unknown id
  const auto to_new = served["mythical-mysfits-like:80"];
  std::cout << "canary weight 10: " << to_new << " of " << kRequests
            << " likes to the new service\n";
  EXPECT_EQ(to_new + served["mythical-mysfits-nolike:80"], static_cast<std::uint64_t>(kRequests));
  const auto bounds = binomial_bounds(kRequests, 0.10);
  EXPECT_GE(to_new, bounds.low);
  EXPECT_LE(to_new, bounds.high);
}

}  // namespace
}  // namespace mysfits::testing
