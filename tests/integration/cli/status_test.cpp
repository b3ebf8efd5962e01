// `mysfits status` against a running `mysfits up`: the stage, the listener's rules in priority
// order and every target with its health and request count, for people and as JSON.
#include <gtest/gtest.h>
#include <signal.h>

#include <boost/json.hpp>
#include <regex>

#include "running_up.hpp"
#include "support/http_probe.hpp"

namespace mysfits::testing {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

constexpr int kLikes = 3;

std::string port_of(const std::vector<ChildProcess>& children, const std::string& name) {
  for (const auto& child : children) {
    if (child.name == name)
      return std::to_string(child.port);
  }
  return "?";
}

// `mysfits status ARGS` for the up's port; its exit code and everything it printed.
std::pair<std::optional<int>, std::string> run_status(const RunningUp& up,
                                                      std::vector<std::string> args) {
  args.insert(args.begin(), {"status", "--port", std::to_string(up.port())});
  Process status(bin_path("mysfits"), args, {{"XDG_RUNTIME_DIR", up.runtime_dir()}});
  auto code = status.wait(20s);
  return {code, status.log()};
}

class Status : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(up_.wait_started()) << up_.process().log();
    auto list = http(up_.port(), "GET", "/mysfits");
    ASSERT_EQ(list.status, 200) << list.body;
    const std::string id(
        json::parse(list.body).at("mysfits").at(0).at("mysfitId").as_string().c_str());
    for (int i = 0; i < kLikes; ++i)
      ASSERT_EQ(http(up_.port(), "POST", "/mysfits/" + id + "/like").status, 200);
    children_ = children_of(up_.state());
  }
  void TearDown() override {
    EXPECT_EQ(up_.process().signal_and_wait(SIGTERM, 40s), 0) << up_.process().log();
  }

  RunningUp up_{{"--stage", "like-adopt"}};
  std::vector<ChildProcess> children_;
};

TEST_F(Status, PrintsTheStageRulesInPriorityOrderAndEveryTargetForPeople) {
  auto [code, out] = run_status(up_, {});
  ASSERT_EQ(code, 0) << out;
  const std::string gateway = "http://127.0.0.1:" + std::to_string(up_.port());
  EXPECT_TRUE(
      std::regex_search(out, std::regex("STAGE +GATEWAY +STATUS PAGE +LOAD BALANCER +GENERATION\n"
                                        "like-adopt +" +
                                        gateway +
                                        " +http://127\\.0\\.0\\.1:\\d+/status +"
                                        "default/mythical-mysfits-eks +1\n")))
      << out;
  const auto fulfill = out.find("\n1          path-pattern /mysfits/*/fulfill-like");
  const auto like = out.find("\n3          path-pattern /mysfits/*/like ");
  const auto adopt = out.find("\n4          path-pattern /mysfits/*/adopt ");
  const auto rest = out.find("\n5          path-pattern /* ");
  const auto fallback = out.find("\ndefault    (no rule matched)");
  EXPECT_NE(fulfill, std::string::npos) << out;
  EXPECT_LT(fulfill, like) << out;
  EXPECT_LT(like, adopt) << out;
  EXPECT_LT(adopt, rest) << out;
  EXPECT_LT(rest, fallback) << out;
  EXPECT_NE(out.find("forward              mythical-mysfits-like:80 weight 1 (100%)\n"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("fixed-response 404   -\n"), std::string::npos) << out;

  // Every service's process, healthy, with the requests it served.
  EXPECT_TRUE(std::regex_search(out, std::regex("\nmythical-mysfits-like:80 +127\\.0\\.0\\.1:" +
                                                port_of(children_, "like-1") + " +healthy +0 +" +
                                                std::to_string(kLikes) + " +-\n")))
      << out;
  EXPECT_TRUE(
      std::regex_search(out, std::regex("\nmythical-mysfits-adopt:80 +127\\.0\\.0\\.1:" +
                                        port_of(children_, "adopt-1") + " +healthy +0 +0 +-\n")))
      << out;
  EXPECT_TRUE(std::regex_search(
      out, std::regex("\nmythical-mysfits-nolike:80 +127\\.0\\.0\\.1:" +
                      port_of(children_, "monolith-1") + " +healthy +0 +[1-9]\\d* +-\n")))
      << out;
}

TEST_F(Status, JsonIsTheGatewayStatusWithTheStageForScripts) {
  auto [code, out] = run_status(up_, {"--json"});
  ASSERT_EQ(code, 0) << out;
  boost::system::error_code ec;
  auto doc = json::parse(out, ec);
  ASSERT_FALSE(ec) << out;
  EXPECT_EQ(doc.at("stage").as_string(), "like-adopt");
  EXPECT_EQ(doc.at("gateway").as_string(), "http://127.0.0.1:" + std::to_string(up_.port()));
  EXPECT_EQ(doc.at("status_page").as_string(),
            std::string(up_.state().at("gateway_admin").as_string()) + "/status");
  EXPECT_EQ(doc.at("generation").as_int64(), 1);

  const auto& rules = doc.at("listener").at("rules").as_array();
  ASSERT_EQ(rules.size(), 5u);
  for (std::size_t i = 0; i < rules.size(); ++i)
    EXPECT_EQ(rules[i].at("priority").as_int64(), static_cast<std::int64_t>(i + 1));
  const auto& like_leg = rules[2].at("action").at("targetGroups").at(0);
  EXPECT_EQ(like_leg.at("serviceName").as_string(), "mythical-mysfits-like");
  EXPECT_EQ(like_leg.at("weight").as_int64(), 1);

  std::map<std::string, json::value> targets;  // "upstream address" -> target
  for (const auto& group : doc.at("target_groups").as_array()) {
    for (const auto& target : group.at("targets").as_array()) {
      targets[std::string(group.at("upstream").as_string()) + " " +
              std::string(target.at("address").as_string())] = target;
    }
  }
  ASSERT_EQ(targets.size(), 3u) << out;
  const auto& like = targets["mythical-mysfits-like:80 127.0.0.1:" + port_of(children_, "like-1")];
  ASSERT_TRUE(like.is_object()) << out;
  EXPECT_EQ(like.at("state").as_string(), "healthy");
  EXPECT_EQ(like.at("requests").to_number<int>(), kLikes);
  EXPECT_EQ(like.at("in_flight").to_number<int>(), 0);

  // The status page it names is the gateway's, and answers.
  const std::string page(doc.at("status_page").as_string());
  const auto admin = static_cast<std::uint16_t>(std::stoi(page.substr(page.rfind(':') + 1)));
  EXPECT_EQ(http(admin, "GET", "/status").status, 200);
}

TEST(StatusCommand, SaysSoWhenNoUpRunsOnThePort) {
  const std::string dir = temp_dir() + "/status-nobody";
  Process status(bin_path("mysfits"), {"status", "--port", std::to_string(free_port())},
                 {{"XDG_RUNTIME_DIR", dir}});
  EXPECT_EQ(status.wait(10s), 1);
  EXPECT_NE(status.log().find("no mysfits up is running with its gateway on port"),
            std::string::npos)
      << status.log();
  Process bad(bin_path("mysfits"), {"status", "--port", "0"});
  EXPECT_EQ(bad.wait(10s), 2) << bad.log();
}

}  // namespace
}  // namespace mysfits::testing
