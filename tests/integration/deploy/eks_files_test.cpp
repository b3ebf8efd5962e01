// The EKS how-to's own files (deploy/eks/, docs/deploy-eks.md) against the manifests they go
// with: the IAM policy grants what the monolith calls on the table and its indexes and nothing
// more, the eksctl config creates the roles the ServiceAccounts name, configure-release writes
// one set of values everywhere, and the how-to applies only overlays that CI renders.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "manifest_set.hpp"
#include "pod_spec.hpp"
#include "support/process.hpp"

namespace mysfits::testing::deploy {
namespace {

namespace fs = std::filesystem;

std::string read_text(const fs::path& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// A scalar or a list of scalars, as IAM allows for Action and Resource.
std::vector<std::string> scalars(const YAML::Node& node) {
  std::vector<std::string> values;
  if (node.IsScalar())
    values.push_back(node.Scalar());
  for (const auto& item : node.IsSequence() ? node : YAML::Node())
    values.push_back(str(item));
  return values;
}

// What the release render says about the AWS side: table, region, account, role.
struct ReleaseValues {
  std::string table, region, account, role;
};

ReleaseValues release_values(const ManifestSet& set) {
  ReleaseValues values;
  for (const auto& map : set.of_kind("ConfigMap")) {
    if (map["data"]["DDB_TABLE_NAME"]) {
      values.table = str(map["data"]["DDB_TABLE_NAME"]);
      values.region = str(map["data"]["AWS_DEFAULT_REGION"]);
    }
  }
  const auto arn =
      str(set.find("ServiceAccount",
                   "mythical-misfit")["metadata"]["annotations"]["eks.amazonaws.com/role-arn"]);
  static const std::regex role_arn(R"(^arn:aws:iam::(\d{12}):role/(.+)$)");
  std::smatch match;
  if (std::regex_match(arn, match, role_arn)) {
    values.account = match[1];
    values.role = match[2];
  }
  return values;
}

const ManifestSet& release_render() {
  const auto& rendered = rendered_overlay("deploy/k8s/overlays/release/like-adopt");
  if (!rendered.manifests)
    throw std::runtime_error(rendered.error);
  return *rendered.manifests;
}

TEST(TablePolicy, GrantsWhatTheMonolithCallsOnItsTableAndIndexesOnly) {
  const auto release = release_values(release_render());
  ASSERT_FALSE(release.account.empty());
  const auto policy = YAML::LoadFile(source_path("deploy/eks/table-policy.json"));
  const std::string table_arn =
      "arn:aws:dynamodb:" + release.region + ":" + release.account + ":table/" + release.table;
  // The store's calls (list = Scan, filter = Query on an index, get, readiness and a like's
  // count = GetItem, like and adopt = TransactWriteItems of one Update, which IAM authorises as
  // UpdateItem on the item's table) on the resources they touch.
  const std::map<std::string, std::set<std::string>> wanted = {
      {"dynamodb:GetItem", {table_arn}},
      {"dynamodb:Scan", {table_arn}},
      {"dynamodb:UpdateItem", {table_arn}},
      {"dynamodb:Query", {table_arn + "/index/GoodEvilIndex", table_arn + "/index/LawChaosIndex"}},
  };
  std::map<std::string, std::set<std::string>> granted;
  for (const auto& statement : policy["Statement"]) {
    EXPECT_EQ(str(statement["Effect"]), "Allow");
    EXPECT_FALSE(statement["Condition"]) << "a condition would make this test meaningless";
    for (const auto& action : scalars(statement["Action"])) {
      for (const auto& resource : scalars(statement["Resource"]))
        granted[action].insert(resource);
    }
  }
  EXPECT_EQ(granted, wanted);
}

TEST(ClusterConfig, CreatesTheRolesAndAddonsTheManifestsNeed) {
  const auto release = release_values(release_render());
  const auto cluster = YAML::LoadFile(source_path("deploy/eks/cluster.yaml"));
  EXPECT_EQ(str(cluster["kind"]), "ClusterConfig");
  EXPECT_EQ(str(cluster["metadata"]["region"]), release.region) << "cluster and table regions";
  EXPECT_EQ(str(cluster["iam"]["withOIDC"]), "true") << "IRSA needs the OIDC provider";
  std::map<std::string, YAML::Node> accounts;
  for (const YAML::Node& account : cluster["iam"]["serviceAccounts"]) {
    accounts[str(account["metadata"]["namespace"]) + "/" + str(account["metadata"]["name"])] =
        account;
  }
  const auto controller = accounts["kube-system/aws-load-balancer-controller"];
  ASSERT_TRUE(controller);
  EXPECT_EQ(str(controller["wellKnownPolicies"]["awsLoadBalancerController"]), "true");
  // The namespace the stages render into, the role their ServiceAccount annotation names.
  const auto misfit = accounts[str(release_render().find(
                                   "ServiceAccount", "mythical-misfit")["metadata"]["namespace"]) +
                               "/mythical-misfit"];
  ASSERT_TRUE(misfit);
  EXPECT_EQ(str(misfit["roleName"]), release.role);
  EXPECT_EQ(str(misfit["roleOnly"]), "true") << "the ServiceAccount comes from deploy/k8s";
  EXPECT_EQ(scalars(misfit["attachPolicyARNs"]),
            std::vector<std::string>{"arn:aws:iam::" + release.account +
                                     ":policy/mythical-mysfits-table"});
  std::set<std::string> addons;
  for (const auto& addon : cluster["addons"])
    addons.insert(str(addon["name"]));
  EXPECT_TRUE(addons.contains("metrics-server")) << "the HPAs read CPU from it";
  EXPECT_TRUE(addons.contains("eks-pod-identity-agent")) << "the Pod Identity variant";
  for (const auto& group : cluster["managedNodeGroups"])
    EXPECT_GE(group["minSize"].as<int>(), 2) << "a drain must leave a node for the PDBs";
}

// What the pods of a render request at their peak: every autoscaler at its maximum, a Deployment
// with its rollout's surge pod, a Rollout (whose canary runs beside the stable pods) with a
// second full set for the one service being canaried.
struct Peak {
  long long millicores = 0;
  int pods = 0;
};

Peak peak_requests(const ManifestSet& set) {
  Peak peak;
  int largest_canary = 0;
  long long largest_canary_millicores = 0;
  for (const auto& scaler : set.of_kind("HorizontalPodAutoscaler")) {
    const auto target = scaler["spec"]["scaleTargetRef"];
    const auto name = str(target["name"]);
    const auto deployment = set.find("Deployment", name);  // the pod template, either way
    const auto cpu = quantity_millicores(str(
        deployment["spec"]["template"]["spec"]["containers"][0]["resources"]["requests"]["cpu"]));
    EXPECT_TRUE(cpu) << name;
    const int maximum = scaler["spec"]["maxReplicas"].as<int>();
    int pods = maximum;
    if (str(target["kind"]) == "Deployment") {
      pods += deployment["spec"]["strategy"]["rollingUpdate"]["maxSurge"].as<int>();
    } else if (maximum > largest_canary) {
      largest_canary = maximum;
      largest_canary_millicores = maximum * cpu.value_or(0);
    }
    peak.pods += pods;
    peak.millicores += pods * cpu.value_or(0);
  }
  peak.pods += largest_canary;
  peak.millicores += largest_canary_millicores;
  return peak;
}

// Nothing scales the nodes, so the autoscalers' maxima, with a rollout or a canary under way,
// must fit the node group beside the system pods.
TEST(ClusterConfig, AutoscalerMaximaFitTheNodeGroup) {
  struct NodeType {
    long long allocatable_millicores;  // 2 vCPUs less the EKS AMI's kube-reserved 70m
    int max_pods;                      // the VPC CNI's limit without prefix delegation
  };
  const std::map<std::string, NodeType> kNodeTypes = {{"t3.medium", {1930, 17}},
                                                      {"t4g.medium", {1930, 17}}};
  // Requests of the system pods (docs/deploy-eks.md, "Capacity"): per node aws-node, kube-proxy
  // and the Pod Identity agent; per cluster CoreDNS (2), metrics-server (2), the Load Balancer
  // Controller (2) and the Argo Rollouts controller (1).
  constexpr long long kSystemPerNode = 150;
  constexpr long long kSystemPerCluster = 500;
  constexpr int kSystemPodsPerNode = 3;
  constexpr int kSystemPodsPerCluster = 7;

  const auto cluster = YAML::LoadFile(source_path("deploy/eks/cluster.yaml"));
  ASSERT_EQ(cluster["managedNodeGroups"].size(), 1u);
  const auto group = cluster["managedNodeGroups"][0];
  const auto type = kNodeTypes.find(str(group["instanceType"]));
  ASSERT_NE(type, kNodeTypes.end()) << "no capacity figures for " << str(group["instanceType"]);
  const int nodes = group["minSize"].as<int>();
  EXPECT_EQ(group["maxSize"].as<int>(), nodes) << "nothing here scales nodes; see Capacity";
  const auto millicores =
      nodes * (type->second.allocatable_millicores - kSystemPerNode) - kSystemPerCluster;
  const auto pods = nodes * (type->second.max_pods - kSystemPodsPerNode) - kSystemPodsPerCluster;

  for (const auto* overlay : {"deploy/k8s/overlays/release/like-adopt",
                              "deploy/k8s/overlays/release-rollouts/like-adopt"}) {
    SCOPED_TRACE(overlay);
    const auto& rendered = rendered_overlay(overlay);
    ASSERT_TRUE(rendered.manifests) << rendered.error;
    const auto peak = peak_requests(*rendered.manifests);
    std::cout << overlay << ": at peak " << peak.pods << " pods requesting " << peak.millicores
              << "m of " << millicores << "m\n";
    EXPECT_LE(peak.millicores, millicores) << "CPU requested at the peak (m)";
    EXPECT_LE(peak.pods, pods);
  }
}

class ConfigureRelease : public ::testing::Test {
 protected:
  // A copy of deploy/ to edit: the script changes the files next to it.
  void SetUp() override {
    root_ = fs::path(temp_dir()) /
            ("configure-" +
             std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(root_);
    fs::create_directories(root_);
    fs::copy(source_path("deploy"), root_ / "deploy", fs::copy_options::recursive);
  }

  CommandResult configure(const std::string& account, const std::string& region,
                          const std::string& tag, const std::string& table,
                          const std::string& arch = "amd64") {
    return run_command({"env", "AWS_ACCOUNT_ID=" + account, "AWS_REGION=" + region, "TAG=" + tag,
                        "ARCH=" + arch, (root_ / "deploy/eks/configure-release").string(),
                        "--table", table});
  }

  // The edited files without their comments (which quote the example values).
  std::string snapshot() const {
    std::string values;
    for (const auto* file : {"deploy/k8s/components/release/kustomization.yaml",
                             "deploy/eks/cluster.yaml", "deploy/eks/table-policy.json"}) {
      std::istringstream lines(read_text(root_ / file));
      for (std::string line; std::getline(lines, line);) {
        if (!std::regex_search(line, std::regex(R"(^\s*#)")))
          values += line + "\n";
      }
    }
    return values;
  }

  fs::path root_;
};

TEST_F(ConfigureRelease, WritesOneSetOfValuesEverywhereAndCanBeRerun) {
  ASSERT_EQ(configure("123456789012", "eu-west-1", "first", "Other").exit_code, 0);
  const auto result = configure("210987654321", "ap-south-1", "1a2b3c4", "Mysfits", "arm64");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  for (const auto& overlay : all_overlays()) {
    if (!overlay.release)
      continue;
    const auto rendered = kustomize((root_ / overlay.dir).string());
    ASSERT_TRUE(rendered.manifests) << rendered.error;
    for (const auto& deployment : rendered.manifests->of_kind("Deployment")) {
      const auto image = str(deployment["spec"]["template"]["spec"]["containers"][0]["image"]);
      EXPECT_TRUE(image.starts_with("210987654321.dkr.ecr.ap-south-1.amazonaws.com/mysfits-"))
          << image;
      EXPECT_TRUE(image.ends_with(":1a2b3c4")) << image;
    }
    const auto values = release_values(*rendered.manifests);
    EXPECT_EQ(values.table, "Mysfits") << overlay.dir;
    EXPECT_EQ(values.region, "ap-south-1") << overlay.dir;
    if (!overlay.pod_identity) {
      EXPECT_EQ(values.account, "210987654321") << overlay.dir;
    }
  }
  const auto policy = read_text(root_ / "deploy/eks/table-policy.json");
  EXPECT_NE(policy.find("arn:aws:dynamodb:ap-south-1:210987654321:table/Mysfits/index/"),
            std::string::npos);
  const auto cluster = YAML::LoadFile((root_ / "deploy/eks/cluster.yaml").string());
  EXPECT_EQ(str(cluster["metadata"]["region"]), "ap-south-1");
  // One setting for the images' platform and the nodes that run them.
  EXPECT_EQ(str(cluster["managedNodeGroups"][0]["instanceType"]), "t4g.medium");
  for (const auto* stale : {"123456789012", "eu-west-1", "111122223333", "us-east-1", "Other"})
    EXPECT_EQ(snapshot().find(stale), std::string::npos) << stale << " left behind";
}

TEST_F(ConfigureRelease, RefusesBadValuesAndChangesNothing) {
  const auto before = snapshot();
  for (const auto& [account, region, tag, table, arch] : std::vector<std::array<std::string, 5>>{
           {"12345", "eu-west-1", "v1", "T1x", "amd64"},
           {"123456789012", "Europe", "v1", "T1x", "amd64"},
           {"123456789012", "eu-west-1", "latest", "T1x", "amd64"},
           {"123456789012", "eu-west-1", "v1", "a/b", "amd64"},
           {"123456789012", "eu-west-1", "v1", "T1x", "x86"}}) {
    const auto result = configure(account, region, tag, table, arch);
    EXPECT_EQ(result.exit_code, 2)
        << account << " " << region << " " << tag << " " << table << " " << arch;
    EXPECT_NE(result.err.find("configure-release:"), std::string::npos) << result.err;
  }
  EXPECT_EQ(snapshot(), before);
}

}  // namespace
}  // namespace mysfits::testing::deploy
