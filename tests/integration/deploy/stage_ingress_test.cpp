// The stage Ingress files as the local gateway and `mysfits up` read them: plain files, one
// Ingress each, that differ only in their routes; and every rendered overlay, read by
// `mysfits routes`, sends the lab's paths where the lab says.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

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
    // The class by name (the annotation is deprecated; the API refuses both together).
    EXPECT_EQ(str(ingress["spec"]["ingressClassName"]), "alb") << stage;
    EXPECT_FALSE(ingress["metadata"]["annotations"]["kubernetes.io/ingress.class"]) << stage;
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

// The lab: `/mysfits/*/like` to the like service, `/*` to the monolith (nolike); the checkpoint
// adds `/mysfits/*/adopt` to the adopt service. The persistence-only routes are a fixed 404.
struct Expected {
  std::string method, path, monolith, like, like_adopt;
};

const std::string kNolikeBackend = "mythical-mysfits-nolike:80";
const std::string kLikeBackend = "mythical-mysfits-like:80";
const std::string kAdoptBackend = "mythical-mysfits-adopt:80";
const std::string kClosed = "fixed-response:404";
const std::string kId = "4e53920c-505a-4a90-a694-b9300791f0ae";

const std::vector<Expected>& lab_routes() {
  static const std::vector<Expected> routes = {
      {"GET", "/", kNolikeBackend, kNolikeBackend, kNolikeBackend},
      {"GET", "/mysfits", kNolikeBackend, kNolikeBackend, kNolikeBackend},
      {"GET", "/mysfits?filter=GoodEvil&value=Evil", kNolikeBackend, kNolikeBackend,
       kNolikeBackend},
      {"GET", "/mysfits/" + kId, kNolikeBackend, kNolikeBackend, kNolikeBackend},
      {"POST", "/mysfits/" + kId + "/like", kNolikeBackend, kLikeBackend, kLikeBackend},
      {"POST", "/mysfits/" + kId + "/adopt", kNolikeBackend, kNolikeBackend, kAdoptBackend},
      // Whole-path match: a longer last segment is not the like rule.
      {"POST", "/mysfits/" + kId + "/likes", kNolikeBackend, kNolikeBackend, kNolikeBackend},
      {"POST", "/mysfits/" + kId + "/fulfill-like", kClosed, kClosed, kClosed},
      {"POST", "/mysfits/" + kId + "/fulfill-adopt", kClosed, kClosed, kClosed},
      {"GET", "/mysfits/" + kId + "/fulfill-like", kClosed, kClosed, kClosed},
  };
  return routes;
}

const std::string& expected_for(const Expected& route, const std::string& stage) {
  return stage == "monolith" ? route.monolith : stage == "like" ? route.like : route.like_adopt;
}

// path -> backend, as `mysfits routes FILE --method M PATH...` prints it (null -> "null").
std::map<std::string, std::string> routes_of(const std::string& file, const std::string& method,
                                             const std::vector<std::string>& paths) {
  std::vector<std::string> argv = {bin_path("mysfits"), "routes", file, "--method", method};
  argv.insert(argv.end(), paths.begin(), paths.end());
  const auto result = run_command(argv);
  EXPECT_EQ(result.exit_code, 0) << "mysfits routes: " << result.err;
  std::map<std::string, std::string> backends;
  std::istringstream lines(result.out);
  for (std::string line; std::getline(lines, line);) {
    const auto json = boost::json::parse(line).as_object();
    const auto& backend = json.at("backend");
    backends[std::string(json.at("path").as_string())] =
        backend.is_null() ? "null" : std::string(backend.as_string());
  }
  return backends;
}

TEST(RenderedIngress, MysfitsRoutesSendsTheLabsPathsWhereTheLabSays) {
  for (const auto& overlay : all_overlays()) {
    const auto stage = overlay.dir.substr(overlay.dir.rfind('/') + 1);
    const auto& rendered = rendered_overlay(overlay.dir);
    ASSERT_TRUE(rendered.manifests) << rendered.error;
    // The whole render, as `kubectl apply -k` would send it: the Ingress among everything else.
    const auto file =
        temp_dir() + "/routes-" + std::to_string(&overlay - &all_overlays()[0]) + ".yaml";
    std::ofstream(file) << rendered.text;
    for (const std::string method : {"GET", "POST"}) {
      std::vector<std::string> paths;
      for (const auto& route : lab_routes()) {
        if (route.method == method)
          paths.push_back(route.path);
      }
      const auto backends = routes_of(file, method, paths);
      for (const auto& route : lab_routes()) {
        if (route.method != method)
          continue;
        const auto it = backends.find(route.path);
        ASSERT_NE(it, backends.end()) << overlay.dir << ": no answer for " << route.path;
        EXPECT_EQ(it->second, expected_for(route, stage))
            << overlay.dir << ": " << method << " " << route.path;
        // Whatever it forwards to is a Service and port of the same render.
        if (it->second.find("fixed-response") == std::string::npos) {
          const auto service = it->second.substr(0, it->second.find(':'));
          const auto object = rendered.manifests->find("Service", service);
          ASSERT_TRUE(object) << overlay.dir << ": " << it->second << " is not rendered";
          EXPECT_EQ(str(object["spec"]["ports"][0]["port"]),
                    it->second.substr(it->second.find(':') + 1));
        }
      }
    }
  }
}

}  // namespace
}  // namespace mysfits::testing::deploy
