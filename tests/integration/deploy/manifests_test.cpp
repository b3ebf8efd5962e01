// Renders every kustomize overlay under deploy/k8s with kubectl and checks that the objects
// hang together the way a cluster and the ALB need them to: what selects what, which port
// reaches which container, where each Ingress path lands, and the settings the services
// need. Nothing here needs a cluster.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>

#include "manifest_set.hpp"
#include "support/process.hpp"

namespace mysfits::testing::deploy {
namespace {

std::string overlay_name(const ::testing::TestParamInfo<Overlay>& info) {
  auto name = info.param.dir.substr(std::string("deploy/k8s/").size());
  for (auto& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)))
      c = '_';
  }
  return name;
}

// Seconds from the Ingress's target-group-attributes, or -1.
int deregistration_delay(const YAML::Node& ingress) {
  static const std::regex delay(R"(deregistration_delay\.timeout_seconds=(\d+))");
  const auto attributes =
      str(ingress["metadata"]["annotations"]["alb.ingress.kubernetes.io/target-group-attributes"]);
  std::smatch match;
  return std::regex_search(attributes, match, delay) ? std::stoi(match[1]) : -1;
}

class RenderedOverlay : public ::testing::TestWithParam<Overlay> {
 protected:
  void SetUp() override {
    const auto& rendered = rendered_overlay(GetParam().dir);
    ASSERT_TRUE(rendered.manifests) << rendered.error;
    set_ = &*rendered.manifests;
  }

  const ManifestSet& set() const { return *set_; }
  YAML::Node ingress() const { return set().find("Ingress", "mythical-mysfits-eks"); }
  YAML::Node container(const std::string& deployment) const {
    return set().find("Deployment", deployment)["spec"]["template"]["spec"]["containers"][0];
  }

 private:
  const ManifestSet* set_ = nullptr;
};

TEST_P(RenderedOverlay, HasExactlyTheStageServices) {
  const auto& wanted = GetParam().deployments;
  EXPECT_EQ(set().names_of_kind("Deployment"), wanted);
  EXPECT_EQ(set().names_of_kind("Service"), wanted);
  EXPECT_EQ(set().names_of_kind("PodDisruptionBudget"), wanted);
  EXPECT_EQ(set().names_of_kind("HorizontalPodAutoscaler"), wanted);
  EXPECT_EQ(set().names_of_kind("Ingress"), std::vector<std::string>{"mythical-mysfits-eks"});
  // The monolith's (bound to the table's role) and one of its own for each split service.
  auto accounts = wanted;
  std::erase(accounts, kNolike);
  accounts.push_back("mythical-misfit");
  std::sort(accounts.begin(), accounts.end());
  EXPECT_EQ(set().names_of_kind("ServiceAccount"), accounts);
}

TEST_P(RenderedOverlay, SelectorsMatchPodLabels) {
  for (const auto& deployment : set().of_kind("Deployment")) {
    const auto name = str(deployment["metadata"]["name"]);
    const auto pod_labels = deployment["spec"]["template"]["metadata"]["labels"];
    EXPECT_TRUE(labels_match(deployment["spec"]["selector"]["matchLabels"], pod_labels)) << name;
    // Release overlays leave the count to the autoscaler; an apply must not reset it.
    if (GetParam().release)
      EXPECT_FALSE(deployment["spec"]["replicas"]) << name;
    else
      EXPECT_EQ(str(deployment["spec"]["replicas"]), "2") << name;
    const auto service = set().find("Service", name);
    ASSERT_TRUE(service) << name << " has no Service";
    EXPECT_TRUE(labels_match(service["spec"]["selector"], pod_labels)) << name;
    const auto budget = set().find("PodDisruptionBudget", name);
    EXPECT_TRUE(labels_match(budget["spec"]["selector"]["matchLabels"], pod_labels)) << name;
    // One pod at a time, whatever the replica count (minAvailable would let all but one go).
    EXPECT_EQ(str(budget["spec"]["maxUnavailable"]), "1") << name;
    EXPECT_FALSE(budget["spec"]["minAvailable"]) << name;
    const auto scaler = set().find("HorizontalPodAutoscaler", name);
    EXPECT_EQ(str(scaler["spec"]["scaleTargetRef"]["kind"]), "Deployment") << name;
    EXPECT_EQ(str(scaler["spec"]["scaleTargetRef"]["name"]), name);
    EXPECT_GE(scaler["spec"]["minReplicas"].as<int>(), 2) << name;
  }
  // No Service selects the pods of two Deployments (traffic would leak across services).
  for (const auto& service : set().of_kind("Service")) {
    int selected = 0;
    for (const auto& deployment : set().of_kind("Deployment")) {
      selected += labels_match(service["spec"]["selector"],
                               deployment["spec"]["template"]["metadata"]["labels"]);
    }
    EXPECT_EQ(selected, 1) << str(service["metadata"]["name"]);
  }
}

TEST_P(RenderedOverlay, ServiceTargetPortsAreTheServingContainerPort) {
  for (const auto& service : set().of_kind("Service")) {
    const auto name = str(service["metadata"]["name"]);
    const auto c = container(name);
    ASSERT_EQ(service["spec"]["ports"].size(), 1u) << name;
    const auto port = service["spec"]["ports"][0];
    EXPECT_EQ(str(port["port"]), "80") << name << ": the seed's port";
    const auto target = container_port(c, port["targetPort"]);
    ASSERT_TRUE(target) << name << ": targetPort " << str(port["targetPort"])
                        << " is no container port";
    // The container port the Service reaches is the one the process listens on (PORT).
    EXPECT_EQ(str(target["containerPort"]), str(env_var(c, "PORT")["value"])) << name;
    const auto admin = str(env_var(c, "ADMIN_PORT")["value"]);
    EXPECT_FALSE(admin.empty()) << name << ": ADMIN_PORT (metrics) unset";
    EXPECT_NE(admin, str(target["containerPort"])) << name << ": metrics would be public";
    EXPECT_TRUE(container_port(c, YAML::Node(admin))) << name << ": admin port not declared";
  }
}

TEST_P(RenderedOverlay, IngressBackendsExist) {
  const auto ing = ingress();
  ASSERT_TRUE(ing);
  const auto annotations = ing["metadata"]["annotations"];
  for (const auto& rule : ing["spec"]["rules"]) {
    for (const auto& path : rule["http"]["paths"]) {
      const auto where = str(path["path"]);
      const auto backend = path["backend"]["service"];
      const auto name = str(backend["name"]);
      if (str(backend["port"]["name"]) == "use-annotation") {
        const auto action = annotations["alb.ingress.kubernetes.io/actions." + name];
        ASSERT_TRUE(action) << where << ": no actions." << name << " annotation";
        const auto parsed = YAML::Load(str(action));
        EXPECT_FALSE(str(parsed["type"]).empty()) << where;
        continue;
      }
      const auto service = set().find("Service", name);
      ASSERT_TRUE(service) << where << " -> missing Service " << name;
      bool port_found = false;
      for (const auto& port : service["spec"]["ports"]) {
        port_found |=
            str(port["port"]) == str(backend["port"]["number"]) ||
            (!str(port["name"]).empty() && str(port["name"]) == str(backend["port"]["name"]));
      }
      EXPECT_TRUE(port_found) << where << " -> " << name << " has no such port";
    }
  }
}

TEST_P(RenderedOverlay, FulfillRoutesAnswerAFixed404BeforeTheCatchAll) {
  const auto ing = ingress();
  ASSERT_EQ(ing["spec"]["rules"].size(), 1u) << "one host block, so manifest order holds";
  const auto paths = ing["spec"]["rules"][0]["http"]["paths"];
  std::map<std::string, std::size_t> position;
  for (std::size_t i = 0; i < paths.size(); ++i) {
    // Exact and Prefix paths would be re-sorted ahead of these by the controller.
    EXPECT_EQ(str(paths[i]["pathType"]), "ImplementationSpecific") << str(paths[i]["path"]);
    position.emplace(str(paths[i]["path"]), i);
  }
  ASSERT_TRUE(position.contains("/*"));
  EXPECT_EQ(position["/*"], paths.size() - 1) << "the catch-all must come last";
  for (const std::string& fulfill :
       {std::string("/mysfits/*/fulfill-like"), std::string("/mysfits/*/fulfill-adopt")}) {
    ASSERT_TRUE(position.contains(fulfill)) << fulfill;
    const auto backend = paths[position[fulfill]]["backend"]["service"];
    EXPECT_EQ(str(backend["port"]["name"]), "use-annotation") << fulfill;
    const auto action =
        YAML::Load(str(ing["metadata"]["annotations"]
                          ["alb.ingress.kubernetes.io/actions." + str(backend["name"])]));
    EXPECT_EQ(str(action["type"]), "fixed-response") << fulfill;
    EXPECT_EQ(str(action["fixedResponseConfig"]["statusCode"]), "404") << fulfill;
    // Every public route that could also match sits after the 404.
    for (const auto& [path, index] : position) {
      const bool also_matches =
          path == "/*" || (path.starts_with("/mysfits/*/") && !path.ends_with("/fulfill-like") &&
                           !path.ends_with("/fulfill-adopt"));
      if (also_matches) {
        EXPECT_LT(position[fulfill], index) << fulfill << " after " << path;
      }
    }
  }
}

TEST_P(RenderedOverlay, IngressCarriesTheAlbSettings) {
  const auto annotations = ingress()["metadata"]["annotations"];
  EXPECT_EQ(str(ingress()["spec"]["ingressClassName"]), "alb");
  EXPECT_FALSE(annotations["kubernetes.io/ingress.class"])
      << "deprecated; refused beside the field";
  EXPECT_EQ(str(annotations["alb.ingress.kubernetes.io/scheme"]), "internet-facing");
  EXPECT_EQ(str(annotations["alb.ingress.kubernetes.io/target-type"]), "ip");
  const auto health = str(annotations["alb.ingress.kubernetes.io/healthcheck-path"]);
  EXPECT_TRUE(health == "/readyz" || health == "/healthz" || health == "/") << health;
  EXPECT_GT(deregistration_delay(ingress()), 0);
}

TEST_P(RenderedOverlay, ProbesUseEndpointsTheServicesServe) {
  for (const auto& name : GetParam().deployments) {
    const auto c = container(name);
    EXPECT_EQ(str(c["readinessProbe"]["httpGet"]["path"]), "/readyz") << name;
    EXPECT_EQ(str(c["livenessProbe"]["httpGet"]["path"]), "/healthz") << name;
    for (const auto* probe : {"readinessProbe", "livenessProbe"}) {
      const auto port = container_port(c, c[probe]["httpGet"]["port"]);
      ASSERT_TRUE(port) << name << " " << probe << ": no such container port";
      EXPECT_EQ(str(port["containerPort"]), str(env_var(c, "PORT")["value"])) << name << probe;
    }
  }
}

TEST_P(RenderedOverlay, PodsOutliveTheAlbDeregistration) {
  const int delay = deregistration_delay(ingress());
  for (const auto& name : GetParam().deployments) {
    const auto pod = set().find("Deployment", name)["spec"]["template"]["spec"];
    const auto c = container(name);
    // The kubelet's sleep action: the images have no shell and no sleep binary to exec.
    const auto sleep = c["lifecycle"]["preStop"]["sleep"]["seconds"];
    ASSERT_TRUE(sleep) << name << ": no preStop sleep";
    EXPECT_FALSE(c["lifecycle"]["preStop"]["exec"]) << name << ": nothing to exec in the image";
    const int pre_stop = sleep.as<int>();
    const int drain = std::stoi(str(env_var(c, "DRAIN_TIMEOUT_MS")["value"])) / 1000;
    const int grace = pod["terminationGracePeriodSeconds"].as<int>();
    EXPECT_GE(pre_stop, delay) << name << ": pod stops accepting while the ALB still sends";
    EXPECT_GE(grace, pre_stop + drain) << name << ": SIGKILL before the drain ends";
    const auto rollout = set().find("Deployment", name)["spec"]["strategy"]["rollingUpdate"];
    EXPECT_EQ(str(rollout["maxUnavailable"]), "0") << name;
  }
}

TEST_P(RenderedOverlay, RequiredEnvironmentIsSet) {
  // A value set literally, or through a ConfigMap of this render that has the key.
  const auto value_of = [&](const YAML::Node& c, const std::string& var) -> std::string {
    const auto entry = env_var(c, var);
    if (entry["value"])
      return str(entry["value"]);
    const auto ref = entry["valueFrom"]["configMapKeyRef"];
    const auto map = set().find("ConfigMap", str(ref["name"]));
    return map ? str(map["data"][str(ref["key"])]) : std::string();
  };
  const auto nolike = container(kNolike);
  EXPECT_FALSE(value_of(nolike, "DDB_TABLE_NAME").empty());
  EXPECT_FALSE(value_of(nolike, "AWS_DEFAULT_REGION").empty());
  EXPECT_FALSE(env_var(nolike, "MONOLITH_URL"));
  for (const auto& name : GetParam().deployments) {
    if (name == kNolike)
      continue;
    const auto url = value_of(container(name), "MONOLITH_URL");
    // In-cluster Service of the monolith (never the ALB: fulfill-* is closed there).
    static const std::regex form(R"(^(?:http://)?([a-z0-9-]+)(?::(\d+))?$)");
    std::smatch match;
    ASSERT_TRUE(std::regex_match(url, match, form)) << name << ": MONOLITH_URL=" << url;
    EXPECT_EQ(match[1].str(), kNolike) << name;
    const auto port = match[2].matched ? match[2].str() : "80";
    EXPECT_EQ(str(set().find("Service", kNolike)["spec"]["ports"][0]["port"]), port) << name;
    EXPECT_FALSE(env_var(container(name), "DDB_TABLE_NAME")) << name << " must not own data";
  }
}

TEST_P(RenderedOverlay, PodsAreHardened) {
  for (const auto& name : GetParam().deployments) {
    const auto pod = set().find("Deployment", name)["spec"]["template"]["spec"];
    const auto c = container(name);
    EXPECT_EQ(pod["containers"].size(), 1u) << name;
    // Only the monolith runs as the account bound to the table's role; the split services
    // make no AWS call and get an account of their own with no role and no token.
    const auto account_name = str(pod["serviceAccountName"]);
    if (name == kNolike) {
      EXPECT_EQ(account_name, "mythical-misfit");
    } else {
      EXPECT_EQ(account_name, name);
      const auto account = set().find("ServiceAccount", account_name);
      ASSERT_TRUE(account) << name << ": no ServiceAccount " << account_name;
      const auto annotations = account["metadata"]["annotations"];
      EXPECT_FALSE(annotations && annotations["eks.amazonaws.com/role-arn"]) << name;
      EXPECT_EQ(str(account["automountServiceAccountToken"]), "false") << name;
    }
    EXPECT_EQ(str(pod["securityContext"]["runAsNonRoot"]), "true") << name;
    EXPECT_EQ(str(pod["securityContext"]["seccompProfile"]["type"]), "RuntimeDefault") << name;
    const auto sc = c["securityContext"];
    EXPECT_EQ(str(sc["readOnlyRootFilesystem"]), "true") << name;
    EXPECT_EQ(str(sc["allowPrivilegeEscalation"]), "false") << name;
    ASSERT_TRUE(sc["capabilities"]["drop"]) << name;
    EXPECT_EQ(str(sc["capabilities"]["drop"][0]), "ALL") << name;
    EXPECT_FALSE(sc["capabilities"]["add"]) << name;
    for (const auto* bound : {"requests", "limits"}) {
      EXPECT_TRUE(c["resources"][bound]["cpu"]) << name << " " << bound;
      EXPECT_TRUE(c["resources"][bound]["memory"]) << name << " " << bound;
    }
  }
}

TEST_P(RenderedOverlay, ReplicasSpreadOverZonesAndNodes) {
  for (const auto& name : GetParam().deployments) {
    const auto deployment = set().find("Deployment", name);
    const auto pod_labels = deployment["spec"]["template"]["metadata"]["labels"];
    std::set<std::string> keys;
    for (const auto& constraint :
         deployment["spec"]["template"]["spec"]["topologySpreadConstraints"]) {
      keys.insert(str(constraint["topologyKey"]));
      // A preference: a pod is never left Pending because a zone or node is full.
      EXPECT_EQ(str(constraint["whenUnsatisfiable"]), "ScheduleAnyway") << name;
      EXPECT_EQ(str(constraint["maxSkew"]), "1") << name;
      EXPECT_TRUE(labels_match(constraint["labelSelector"]["matchLabels"], pod_labels)) << name;
    }
    EXPECT_EQ(keys,
              (std::set<std::string>{"topology.kubernetes.io/zone", "kubernetes.io/hostname"}))
        << name;
  }
}

TEST_P(RenderedOverlay, ImagesArePinned) {
  // Development overlays name the local build (name:version); release ones add the registry
  // (registry/repo:tag or @sha256 digest). Never :latest or no tag: a rollout must run one build.
  static const std::regex local(R"(^[a-z0-9._/-]+:([\w.-]+)$)");
  static const std::regex release(
      R"(^[a-z0-9.-]+\.[a-z]+(?::\d+)?/[a-z0-9._/-]+(?::([\w.-]+)|@sha256:[0-9a-f]{64})$)");
  for (const auto& name : GetParam().deployments) {
    const auto image = str(container(name)["image"]);
    std::smatch match;
    ASSERT_TRUE(std::regex_match(image, match, GetParam().release ? release : local))
        << name << ": " << image;
    EXPECT_NE(match[1].str(), "latest") << name << ": " << image;
  }
}

TEST_P(RenderedOverlay, ServiceAccountNamesARoleForIrsaOnly) {
  const auto annotations =
      set().find("ServiceAccount", "mythical-misfit")["metadata"]["annotations"];
  if (GetParam().pod_identity) {
    // The web-identity provider comes first in the credential chain; a role ARN left here would
    // win over the Pod Identity association.
    EXPECT_FALSE(annotations && annotations["eks.amazonaws.com/role-arn"]);
    return;
  }
  const auto arn = str(annotations["eks.amazonaws.com/role-arn"]);
  static const std::regex role(R"(^arn:aws[a-z-]*:iam::\d{12}:role/[\w+=,.@/-]+$)");
  EXPECT_TRUE(std::regex_match(arn, role)) << arn;
}

TEST_P(RenderedOverlay, IngressIsTheStageFileThatUpReads) {
  // One copy: the overlay renders deploy/k8s/stages/<stage>/ingress.yaml, the file the local
  // gateway loads, so local and EKS routing cannot drift apart.
  const auto stage = GetParam().dir.substr(GetParam().dir.rfind('/') + 1);
  const auto file =
      ManifestSet::load_file(source_path("deploy/k8s/stages/" + stage + "/ingress.yaml"));
  ASSERT_EQ(file.objects().size(), 1u);
  const auto& original = file.objects()[0];
  EXPECT_TRUE(same_yaml(ingress()["spec"], original["spec"]));
  EXPECT_TRUE(same_yaml(ingress()["metadata"]["annotations"], original["metadata"]["annotations"]));
}

INSTANTIATE_TEST_SUITE_P(Deploy, RenderedOverlay, ::testing::ValuesIn(all_overlays()),
                         overlay_name);

}  // namespace
}  // namespace mysfits::testing::deploy
