// `mysfits up` end to end, for every stage: what runs, what the gateway serves and hides, and
// that nothing outlives it, whether it is stopped or killed.
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <thread>

#include "running_up.hpp"
#include "support/http_probe.hpp"

namespace mysfits::testing {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// Why the full system cannot run from this build, or empty when it can. A missing executable
// fails the test: a test that skips when it cannot run passes by not running.
std::string not_built() {
  auto missing = missing_binaries();
  std::string why;
  for (const auto& name : missing)
    why += (why.empty() ? "not built: " : ", ") + name;
  return why;
}

json::value body_of(const HttpResult& r) {
  boost::system::error_code ec;
  auto v = json::parse(r.body, ec);
  return ec ? json::value(nullptr) : v;
}

std::string first_id(std::uint16_t port) {
  auto list = http(port, "GET", "/mysfits");
  return std::string(body_of(list).at("mysfits").as_array().at(0).at("mysfitId").as_string());
}

json::value profile(std::uint16_t port, const std::string& id) {
  return body_of(http(port, "GET", "/mysfits/" + id));
}

std::multiset<std::string> roles_of(const std::vector<ChildProcess>& children) {
  std::multiset<std::string> roles;
  for (const auto& c : children)
    roles.insert(c.role);
  return roles;
}

void expect_nothing_left(RunningUp& up, const std::vector<ChildProcess>& children) {
  for (const auto& child : children) {
    EXPECT_TRUE(wait_gone(child.pid)) << child.name << " (pid " << child.pid << ") survived";
    EXPECT_TRUE(wait_closed(child.port)) << child.name << " still listens on " << child.port;
  }
  EXPECT_TRUE(wait_closed(up.port())) << "gateway port still open";
  EXPECT_TRUE(wait_closed(up.web_port())) << "website port still open";
}

struct StageCase {
  std::string stage;
  std::multiset<std::string> roles;
};

// Test names show the stage, not the struct's bytes.
void PrintTo(const StageCase& stage_case, std::ostream* os) {
  *os << stage_case.stage;
}

class UpStage : public ::testing::TestWithParam<StageCase> {};

TEST_P(UpStage, ServesTheSiteAndTheApiThroughTheGatewayAndStopsCleanlyOnSigterm) {
  ASSERT_EQ(not_built(), "");
  const StageCase& param = GetParam();
  RunningUp up({"--stage", param.stage});
  ASSERT_TRUE(up.wait_serving()) << up.process().log();

  auto list = http(up.port(), "GET", "/mysfits");
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(body_of(list).at("mysfits").as_array().size(), 12u);
  const std::string id = first_id(up.port());

  auto like = http(up.port(), "POST", "/mysfits/" + id + "/like");
  ASSERT_EQ(like.status, 200) << like.body;
  EXPECT_EQ(body_of(like).at("likes").to_number<int>(), 1);
  auto adopt = http(up.port(), "POST", "/mysfits/" + id + "/adopt");
  ASSERT_EQ(adopt.status, 200) << adopt.body;

  // The persistence-only routes are the ALB's fixed 404, and change nothing.
  for (const char* route : {"/fulfill-like", "/fulfill-adopt"}) {
    auto hidden = http(up.port(), "POST", "/mysfits/" + id + route);
    EXPECT_EQ(hidden.status, 404) << route << ": " << hidden.body;
  }
  auto after = profile(up.port(), id);
  EXPECT_EQ(after.at("likes").to_number<int>(), 1);
  EXPECT_EQ(after.at("adopted").as_bool(), true);

  auto page = http(up.web_port(), "GET", "/");
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("config.js"), std::string::npos);
  auto config = http(up.web_port(), "GET", "/config.js");
  EXPECT_NE(config.body.find("http://127.0.0.1:" + std::to_string(up.port())), std::string::npos)
      << config.body;
  EXPECT_EQ(http(up.web_port(), "GET", "/../CMakeLists.txt").status, 400);

  // The right processes run, as children of up, each the stage's executable for its role.
  auto state = up.state();
  ASSERT_TRUE(state.is_object()) << "no state file at " << up.state_path();
  EXPECT_EQ(state.at("stage").as_string(), param.stage);
  auto children = children_of(state);
  EXPECT_EQ(roles_of(children), param.roles);
  const std::map<std::string, std::string> executable{{"monolith", "mysfits-monolith"},
                                                      {"like", "mysfits-like"},
                                                      {"adopt", "mysfits-adopt"},
                                                      {"gateway", "mysfits-gateway"}};
  for (const auto& child : children) {
    EXPECT_EQ(executable_of(child.pid), executable.at(child.role)) << child.name;
    EXPECT_EQ(parent_of(child.pid), up.process().pid()) << child.name;
  }
  std::string log = up.process().log();
  EXPECT_NE(log.find("monolith-1 | "), std::string::npos) << "child lines carry its name";
  EXPECT_NE(log.find("http://127.0.0.1:" + std::to_string(up.web_port())), std::string::npos)
      << "the table shows the website's URL";

  EXPECT_EQ(up.process().signal_and_wait(SIGTERM, 40s), 0) << up.process().log();
  expect_nothing_left(up, children);
  EXPECT_FALSE(std::filesystem::exists(up.state_path()));
}

INSTANTIATE_TEST_SUITE_P(EveryStage, UpStage,
                         ::testing::Values(StageCase{"monolith", {"monolith", "gateway"}},
                                           StageCase{"like", {"monolith", "like", "gateway"}},
                                           StageCase{"like-adopt",
                                                     {"monolith", "like", "adopt", "gateway"}}),
                         [](const auto& test_info) {
                           std::string name = test_info.param.stage;
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

TEST(Up, KillNineOfUpLeavesNoChildWithReplicas) {
  ASSERT_EQ(not_built(), "");
  RunningUp up({"--stage", "like-adopt", "--replicas", "2"});
  ASSERT_TRUE(up.wait_serving()) << up.process().log();
  auto children = children_of(up.state());
  ASSERT_EQ(children.size(), 7u) << "2 each of monolith, like, adopt, and the gateway";
  auto like = http(up.port(), "POST", "/mysfits/" + first_id(up.port()) + "/like");
  EXPECT_EQ(like.status, 200) << like.body;

  ASSERT_TRUE(up.process().signal_and_wait(SIGKILL, 10s).has_value());
  expect_nothing_left(up, children);
}

TEST(Up, RestartsACrashedChildAndShowsIt) {
  ASSERT_EQ(not_built(), "");
  RunningUp up({"--stage", "like"});
  ASSERT_TRUE(up.wait_serving()) << up.process().log();
  auto find_like = [&up]() -> std::optional<ChildProcess> {
    for (const auto& c : children_of(up.state())) {
      if (c.name == "like-1")
        return c;
    }
    return std::nullopt;
  };
  auto before = find_like();
  ASSERT_TRUE(before);
  ASSERT_EQ(::kill(before->pid, SIGKILL), 0);

  // Back under a new pid, and likes work again through the gateway.
  const std::string id = first_id(up.port());
  int status = 0;
  for (auto end = Clock::now() + 30s; Clock::now() < end && status != 200;) {
    std::this_thread::sleep_for(50ms);
    auto now = find_like();
    if (now && now->pid > 0 && now->pid != before->pid)
      status = http(up.port(), "POST", "/mysfits/" + id + "/like").status;
  }
  EXPECT_EQ(status, 200) << up.process().log();
  std::string log = up.process().log();
  EXPECT_NE(log.find("like-1 killed by SIGKILL"), std::string::npos) << log;
  EXPECT_NE(log.find("like-1 restarted (pid "), std::string::npos) << log;

  auto children = children_of(up.state());
  EXPECT_EQ(up.process().signal_and_wait(SIGTERM, 40s), 0) << up.process().log();
  expect_nothing_left(up, children);
}

TEST(Up, RefusesBadUsageWithAMessage) {
  Process unknown_stage(bin_path("mysfits"), {"up", "--stage", "strangler"});
  EXPECT_EQ(unknown_stage.wait(10s), 2);
  EXPECT_NE(unknown_stage.log().find("strangler"), std::string::npos) << unknown_stage.log();

  Process same_ports(bin_path("mysfits"), {"up", "--port", "18123", "--web-port", "18123"});
  EXPECT_EQ(same_ports.wait(10s), 1);
  EXPECT_NE(same_ports.log().find("must differ"), std::string::npos) << same_ports.log();
}

// `mysfits up` on a source tree of the test's own: the real stage manifests (which a test may
// then break) and the real website.
std::string own_source_tree(const std::string& name) {
  const std::filesystem::path tree = std::filesystem::path(temp_dir()) / name;
  std::filesystem::create_directories(tree / "deploy" / "k8s");
  std::filesystem::copy(source_path("deploy/k8s/stages"), tree / "deploy" / "k8s" / "stages",
                        std::filesystem::copy_options::recursive);
  std::filesystem::create_directory_symlink(source_path("web"), tree / "web");
  return tree.string();
}

UpLaunch up_on_tree(std::vector<std::string> args, const std::string& tree) {
  UpLaunch launch = plan_up(std::move(args));
  launch.env["MYSFITS_SOURCE_DIR"] = tree;
  return launch;
}

void break_stage(const std::string& tree, const std::string& stage) {
  std::filesystem::copy_file(source_path("tests/data/ingress/refused-over-limits.yaml"),
                             tree + "/deploy/k8s/stages/" + stage + "/ingress.yaml",
                             std::filesystem::copy_options::overwrite_existing);
}

TEST(Up, RefusesAStageIngressTheAlbWouldRefuseBeforeStartingAnything) {
  const std::string tree = own_source_tree("tree-up-refused");
  break_stage(tree, "like");
  RunningUp up(up_on_tree({"--stage", "like"}, tree));
  EXPECT_EQ(up.process().wait(20s), 1);
  const std::string log = up.process().log();
  EXPECT_NE(log.find("the Ingress of stage like would be refused"), std::string::npos) << log;
  EXPECT_NE(log.find(tree + "/deploy/k8s/stages/like/ingress.yaml:16: Ingress default/greedy"),
            std::string::npos)
      << log;
  EXPECT_NE(log.find("at most 5 per rule"), std::string::npos) << log;
  EXPECT_TRUE(up.state().is_null()) << "up got as far as writing its state";
  EXPECT_EQ(log.find("started"), std::string::npos) << "a child was started: " << log;
}

TEST(Up, MigrateRefusesAStageIngressTheAlbWouldRefuseAndChangesNothing) {
  ASSERT_EQ(not_built(), "");
  const std::string tree = own_source_tree("tree-migrate-refused");
  RunningUp up(up_on_tree({"--stage", "monolith"}, tree));
  ASSERT_TRUE(up.wait_serving()) << up.process().log();
  const auto before = children_of(up.state());
  break_stage(tree, "like");

  Process migrate(bin_path("mysfits"),
                  {"migrate", "--to", "like", "--port", std::to_string(up.port())},
                  {{"XDG_RUNTIME_DIR", up.runtime_dir()}});
  EXPECT_EQ(migrate.wait(60s), 1);
  EXPECT_NE(migrate.log().find("would be refused"), std::string::npos) << migrate.log();
  EXPECT_NE(migrate.log().find("stage unchanged"), std::string::npos) << migrate.log();
  EXPECT_EQ(std::string(up.state().at("stage").as_string()), "monolith");
  EXPECT_EQ(roles_of(children_of(up.state())), roles_of(before));
  EXPECT_EQ(http(up.port(), "GET", "/mysfits").status, 200);
}

TEST(Up, RefusesAGatewayPortInUse) {
  ASSERT_EQ(not_built(), "");
  RunningUp first({"--stage", "monolith"});
  ASSERT_TRUE(first.wait_serving()) << first.process().log();
  Process second(bin_path("mysfits"),
                 {"up", "--stage", "monolith", "--port", std::to_string(first.port()), "--web-port",
                  std::to_string(free_port())});
  EXPECT_EQ(second.wait(10s), 1);
  EXPECT_NE(second.log().find("Address already in use"), std::string::npos) << second.log();
  EXPECT_EQ(http(first.port(), "GET", "/mysfits").status, 200) << "the first one is untouched";
}

}  // namespace
}  // namespace mysfits::testing
