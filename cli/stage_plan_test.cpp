#include "cli/stage_plan.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

namespace mysfits::cli {
namespace {

UpLayout test_layout() {
  return UpLayout{"/opt/m/build/bin", "/opt/m", "/data/mysfits.db", "/run/up/ingress.yaml",
                  "/run/up/upstreams"};
}

std::function<std::uint16_t()> counting_ports(std::uint16_t first) {
  return [next = first]() mutable { return next++; };
}

std::string env_of(const ChildSpec& child, const std::string& name) {
  for (const auto& [k, v] : child.launch.env) {
    if (k == name)
      return v;
  }
  return "";
}

std::vector<std::string> names_of(const std::vector<ChildSpec>& children) {
  std::vector<std::string> out;
  for (const auto& c : children)
    out.push_back(c.name);
  return out;
}

TEST(StagePlan, ParsesExactlyTheThreeStages) {
  EXPECT_EQ(parse_stage("monolith"), Stage::kMonolith);
  EXPECT_EQ(parse_stage("like"), Stage::kLike);
  EXPECT_EQ(parse_stage("like-adopt"), Stage::kLikeAdopt);
  EXPECT_FALSE(parse_stage("adopt"));
  EXPECT_FALSE(parse_stage("Like"));
  EXPECT_EQ(stage_names(), (std::vector<std::string>{"monolith", "like", "like-adopt"}));
}

TEST(StagePlan, MonolithStageRunsOnlyTheMonolithBehindTheGateway) {
  UpSettings settings;
  settings.stage = Stage::kMonolith;
  auto children = plan_children(settings, test_layout(), counting_ports(40000));
  EXPECT_EQ(names_of(children), (std::vector<std::string>{"monolith-1", "gateway"}));
  const auto& gateway = children.back();
  EXPECT_EQ(gateway.launch.exe, "/opt/m/build/bin/mysfits-gateway");
  auto& args = gateway.launch.args;
  auto option = [&args](const std::string& name) {
    auto it = std::find(args.begin(), args.end(), name);
    return it == args.end() || it + 1 == args.end() ? std::string("(missing)") : *(it + 1);
  };
  EXPECT_EQ(option("--ingress"), "/run/up/ingress.yaml");
  EXPECT_EQ(option("--upstreams-file"), "/run/up/upstreams");
  EXPECT_EQ(option("--port"), "8080");
  EXPECT_EQ(upstream_arguments(Stage::kMonolith, children),
            (std::vector<std::string>{"mythical-mysfits-nolike:80=127.0.0.1:40000"}));
}

TEST(StagePlan, ReplicasShareTheDatabaseAndPairWithAMonolith) {
  UpSettings settings;
  settings.stage = Stage::kLikeAdopt;
  settings.replicas = 2;
  auto children = plan_children(settings, test_layout(), counting_ports(41000));
  EXPECT_EQ(names_of(children),
            (std::vector<std::string>{"monolith-1", "monolith-2", "like-1", "like-2", "adopt-1",
                                      "adopt-2", "gateway"}));
  std::set<std::uint16_t> ports;
  for (const auto& c : children) {
    ports.insert(c.ready_port);
    if (c.role == "monolith") {
      EXPECT_EQ(env_of(c, "MYSFITS_DB"), "/data/mysfits.db");
    }
  }
  EXPECT_EQ(ports.size(), children.size()) << "every listener gets its own port";
  EXPECT_EQ(env_of(children[2], "MONOLITH_URL"), "http://127.0.0.1:41000");
  EXPECT_EQ(env_of(children[3], "MONOLITH_URL"), "http://127.0.0.1:41001");
  EXPECT_EQ(
      upstream_arguments(Stage::kLikeAdopt, children),
      (std::vector<std::string>{"mythical-mysfits-nolike:80=127.0.0.1:41000,127.0.0.1:41001",
                                "mythical-mysfits-like:80=127.0.0.1:41002,127.0.0.1:41003",
                                "mythical-mysfits-adopt:80=127.0.0.1:41004,127.0.0.1:41005"}));
}

TEST(StagePlan, ServicesListenOnLoopbackWhateverTheEnvironmentSays) {
  UpSettings settings;
  settings.host = "0.0.0.0";
  auto children = plan_children(settings, test_layout(), counting_ports(42000));
  for (const auto& c : children) {
    if (c.role == kGatewayRole)
      continue;
    EXPECT_EQ(c.launch.args,
              (std::vector<std::string>{"--host", "127.0.0.1", "--port", std::to_string(c.port),
                                        "--admin-port", "0"}));
  }
}

TEST(StagePlan, SummaryNamesEveryProcessAndTheUrls) {
  UpSettings settings;
  settings.stage = Stage::kLike;
  std::vector<ChildStatus> children = {{"monolith-1", "monolith", 101, 43000, 0},
                                       {"like-1", "like", 102, 43001, 0},
                                       {"gateway", "gateway", 103, 8080, 0}};
  std::string text =
      render_summary(settings, test_layout(), children, "SQLite /data/mysfits.db", 43002);
  EXPECT_NE(text.find("stage like"), std::string::npos);
  EXPECT_NE(text.find("mythical-mysfits-like:80"), std::string::npos);
  EXPECT_NE(text.find("http://127.0.0.1:43001"), std::string::npos);
  EXPECT_NE(text.find("deploy/k8s/stages/like/ingress.yaml"), std::string::npos);
  EXPECT_NE(text.find("Website  http://127.0.0.1:8000"), std::string::npos);
  EXPECT_NE(text.find("API      http://127.0.0.1:8080/mysfits"), std::string::npos);
  EXPECT_NE(text.find("Status   http://127.0.0.1:43002/status"), std::string::npos) << text;
  EXPECT_NE(text.find("mysfits status --port 8080"), std::string::npos) << text;
}

TEST(StagePlan, AServiceOfTheUsersRunsThroughShWithOurEnvironment) {
  UpSettings settings;
  settings.stage = Stage::kLike;
  settings.exec = {{"like", "python3 my_like.py --fast"}};
  UpLayout layout;
  layout.bin_dir = "/opt/mysfits/bin";
  std::uint16_t next = 9000;
  const auto plan = plan_children(settings, layout, [&next] { return next++; });
  ASSERT_EQ(plan.size(), 3u);  // monolith-1, like-1, gateway
  const auto& monolith = plan[0];
  EXPECT_EQ(monolith.launch.exe, "/opt/mysfits/bin/mysfits-monolith");
  EXPECT_EQ(monolith.ready_target, "/readyz");
  const auto& like = plan[1];
  EXPECT_EQ(like.name, "like-1");
  EXPECT_EQ(like.launch.exe, "/bin/sh");
  EXPECT_EQ(like.launch.args, (std::vector<std::string>{"-c", "python3 my_like.py --fast"}));
  EXPECT_EQ(like.ready_target, "/");
  std::map<std::string, std::string> env(like.launch.env.begin(), like.launch.env.end());
  EXPECT_EQ(env["HOST"], "127.0.0.1");
  EXPECT_EQ(env["PORT"], std::to_string(like.port));
  EXPECT_EQ(env["ADMIN_PORT"], "0");
  EXPECT_EQ(env["MONOLITH_URL"], "http://127.0.0.1:" + std::to_string(monolith.port));
}

TEST(StagePlan, ExecOverridesNameOneOfOurServicesAndACommand) {
  std::string error;
  const auto parsed = parse_exec_override("adopt=./adopt --port=$PORT", error);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->first, "adopt");
  EXPECT_EQ(parsed->second, "./adopt --port=$PORT");
  for (const char* bad : {"gateway=x", "like", "=x", "like=", "like=  ", "LIKE=x"}) {
    EXPECT_FALSE(parse_exec_override(bad, error)) << bad;
    EXPECT_FALSE(error.empty()) << bad;
  }
}

}  // namespace
}  // namespace mysfits::cli
