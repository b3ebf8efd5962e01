// The stage Ingress files as the local gateway and `mysfits up` read them: plain files, one
// Ingress each, that differ only in their routes.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "manifest_set.hpp"
#include "support/process.hpp"

namespace mysfits::testing::deploy {
namespace {

const std::vector<std::string> kStages = {"monolith", "like", "like-adopt"};

YAML::Node stage_ingress(const std::string& stage) {
  const auto set =
      ManifestSet::load_file(source_path("deploy/k8s/stages/" + stage + "/ingress.yaml"));
  EXPECT_EQ(set.objects().size(), 1u) << stage;
  return set.objects().empty() ? YAML::Node() : set.objects()[0];
}

TEST(StageIngress, IsOneAlbIngressNamedAsInTheSeed) {
  for (const auto& stage : kStages) {
    const auto ingress = stage_ingress(stage);
    EXPECT_EQ(str(ingress["apiVersion"]), "networking.k8s.io/v1") << stage;
    EXPECT_EQ(str(ingress["kind"]), "Ingress") << stage;
    EXPECT_EQ(str(ingress["metadata"]["name"]), "mythical-mysfits-eks") << stage;
    EXPECT_EQ(str(ingress["metadata"]["annotations"]["kubernetes.io/ingress.class"]), "alb")
        << stage;
    // No namespace in the file: the overlay sets it, and the gateway has none to honour.
    EXPECT_FALSE(ingress["metadata"]["namespace"]) << stage;
  }
}

TEST(StageIngress, StagesShareEveryAnnotation) {
  // Health checks, draining and the 404 action must not drift between stages: a migration
  // would otherwise change more than the routes.
  const auto first = stage_ingress(kStages[0]);
  for (const auto& stage : kStages) {
    EXPECT_TRUE(same_yaml(stage_ingress(stage)["metadata"]["annotations"],
                          first["metadata"]["annotations"]))
        << stage << " vs " << kStages[0];
  }
}

TEST(StageIngress, EachStageRoutesToItsOwnServices) {
  const std::map<std::string, std::set<std::string>> services = {
      {"monolith", {"mythical-mysfits-nolike"}},
      {"like", {"mythical-mysfits-nolike", "mythical-mysfits-like"}},
      {"like-adopt",
       {"mythical-mysfits-nolike", "mythical-mysfits-like", "mythical-mysfits-adopt"}},
  };
  for (const auto& stage : kStages) {
    std::set<std::string> forwarded;
    for (const auto& rule : stage_ingress(stage)["spec"]["rules"]) {
      for (const auto& path : rule["http"]["paths"]) {
        const auto backend = path["backend"]["service"];
        if (str(backend["port"]["name"]) != "use-annotation")
          forwarded.insert(str(backend["name"]));
      }
    }
    EXPECT_EQ(forwarded, services.at(stage)) << stage;
  }
}

}  // namespace
}  // namespace mysfits::testing::deploy
