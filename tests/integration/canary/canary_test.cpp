// The strangler step in canary steps, under paced mixed traffic with the write audit: a healthy
// canary of the like service and then of the adopt service changes nothing anyone sees; a
// candidate that fails one like in five is caught in its first step and rolled back, having
// failed no more requests than its weight let through.
#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <set>
#include <thread>

#include "chaos/traffic.hpp"
#include "integration/cli/running_up.hpp"
#include "support/http_probe.hpp"

namespace mysfits::testing {
namespace {

using namespace std::chrono_literals;

// Stops the traffic however the test ends (a failed ASSERT returns early), before its future
// is waited for.
struct StopOnExit {
  std::atomic<bool>& stop;
  ~StopOnExit() { stop = true; }
};

struct CliRun {
  int code = -1;
  std::string log;
};

CliRun mysfits_cli(const RunningUp& up, std::vector<std::string> args) {
  args.push_back("--port");
  args.push_back(std::to_string(up.port()));
  Process cli(bin_path("mysfits"), args, {{"XDG_RUNTIME_DIR", up.runtime_dir()}});
  auto code = cli.wait(120s);
  return {code.value_or(-1), cli.log()};
}

std::uint16_t port_named(const RunningUp& up, const char* key) {
  const std::string url(up.state().at(key).as_string());
  return static_cast<std::uint16_t>(std::stoi(url.substr(url.rfind(':') + 1)));
}

// Mixed traffic, writes included, paced well below capacity even under the sanitizers; the like
// and adopt shares are high enough that a tenth of them fills a one-second window.
std::future<chaos::TrafficReport> paced_traffic(const RunningUp& up,
                                                const chaos::Snapshot& ids_from,
                                                std::atomic<bool>& stop, int like_percent) {
  chaos::TrafficOptions options;
  options.port = up.port();
  options.rate = 400;
  options.read_percent = 55;
  options.like_percent = like_percent;
  options.duration = 120s;
  return chaos::start_traffic(options, ids_from, stop);
}

const std::vector<std::string> kQuickSteps = {"--canary", "10,50,100",      "--step",
                                              "1",        "--min-requests", "5"};

std::vector<std::string> canary_to(const std::string& stage, std::vector<std::string> more = {}) {
  std::vector<std::string> args{"migrate", "--to", stage};
  args.insert(args.end(), kQuickSteps.begin(), kQuickSteps.end());
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

void expect_steps(const boost::json::object& report, const std::vector<std::int64_t>& weights,
                  const char* verdict) {
  const auto& steps = report.at("steps").as_array();
  ASSERT_EQ(steps.size(), weights.size()) << boost::json::serialize(report);
  for (std::size_t i = 0; i < steps.size(); ++i) {
    EXPECT_EQ(steps[i].at("weight").as_int64(), weights[i]);
    EXPECT_EQ(steps[i].at("verdict").as_string(), verdict) << boost::json::serialize(steps[i]);
    EXPECT_GE(steps[i].at("requests").to_number<std::uint64_t>(), 5u)
        << boost::json::serialize(steps[i]);
  }
}

TEST(Canary, HealthyStepsMoveLikeThenAdoptWithNoFailedRequestAndAnExactAudit) {
  RunningUp up({"--stage", "monolith"});
  ASSERT_TRUE(up.wait_serving()) << up.process().log();
  const auto before = chaos::snapshot("127.0.0.1", up.port());
  std::atomic<bool> stop{false};
  auto traffic = paced_traffic(up, before, stop, 30);
  StopOnExit stopper{stop};

  auto like = mysfits_cli(up, canary_to("like"));
  EXPECT_EQ(like.code, 0) << like.log;
  EXPECT_NE(like.log.find("succeeded: every step passed; now at stage like"), std::string::npos)
      << like.log;
  EXPECT_EQ(running_roles(up.state()), (std::set<std::string>{"monolith", "like", "gateway"}));
  // The gateway's status page shows the same report.
  auto status =
      boost::json::parse(http(port_named(up, "gateway_admin"), "GET", "/status.json").body);
  const auto& shown = status.at("canary").as_object();
  EXPECT_EQ(shown.at("state").as_string(), "succeeded");
  expect_steps(shown, {10, 50, 100}, "pass");

  auto adopt = mysfits_cli(up, canary_to("like-adopt"));
  EXPECT_EQ(adopt.code, 0) << adopt.log;
  EXPECT_EQ(running_roles(up.state()),
            (std::set<std::string>{"monolith", "like", "adopt", "gateway"}));
  auto report = boost::json::parse(http(port_named(up, "control"), "GET", "/canary").body);
  EXPECT_EQ(report.at("to").as_string(), "like-adopt");
  expect_steps(report.as_object(), {10, 50, 100}, "pass");

  stop = true;
  auto done = traffic.get();
  const auto after = chaos::snapshot("127.0.0.1", up.port());
  auto problems = chaos::audit(before, after, done);
  EXPECT_TRUE(problems.empty()) << problems.front();
  EXPECT_EQ(done.failed, 0u) << chaos::describe(done);
  std::cout << "healthy canary, like then adopt:\n"
            << like.log << adopt.log << "traffic: " << chaos::describe(done) << '\n';
  EXPECT_EQ(up.process().signal_and_wait(SIGTERM, 30s), 0) << up.process().log();
}

TEST(Canary, ACandidateThatFailsOneLikeInFiveIsRolledBackInItsFirstStep) {
  RunningUp up({"--stage", "monolith"});
  ASSERT_TRUE(up.wait_serving()) << up.process().log();
  const auto before = chaos::snapshot("127.0.0.1", up.port());
  std::atomic<bool> stop{false};
  auto traffic = paced_traffic(up, before, stop, 45);
  StopOnExit stopper{stop};

  auto run =
      mysfits_cli(up, canary_to("like", {"--exec", std::string("like=") + MYSFITS_FLAKY_LIKE}));
  EXPECT_EQ(run.code, 1) << run.log;
  EXPECT_NE(run.log.find("breach"), std::string::npos) << run.log;
  EXPECT_NE(run.log.find("back at stage monolith"), std::string::npos) << run.log;
  EXPECT_EQ(running_roles(up.state()), (std::set<std::string>{"monolith", "gateway"}));
  EXPECT_EQ(up.state().at("stage").as_string(), "monolith");
  const auto report = boost::json::parse(http(port_named(up, "control"), "GET", "/canary").body);
  const auto& steps = report.at("steps").as_array();
  ASSERT_EQ(steps.size(), 1u) << report;
  EXPECT_EQ(steps[0].at("weight").as_int64(), 10);
  EXPECT_LE(steps[0].at("windows").as_int64(), 2) << report;
  EXPECT_EQ(report.at("state").as_string(), "failed");
  const auto failed_by_then = steps[0].at("errors_5xx").to_number<std::uint64_t>();
  const auto requests_to_candidate = steps[0].at("requests").to_number<std::uint64_t>();
  // Likes are the monolith's again: nothing routes to the candidate, and the traffic goes on
  // (for a while: load, not a synchronisation) without another failure.
  const auto rules = boost::json::serialize(
      boost::json::parse(http(port_named(up, "gateway_admin"), "GET", "/status.json").body)
          .at("listener"));
  EXPECT_EQ(rules.find("mythical-mysfits-like"), std::string::npos) << rules;
  std::this_thread::sleep_for(500ms);

  stop = true;
  auto done = traffic.get();
  const auto after = chaos::snapshot("127.0.0.1", up.port());
  auto problems = chaos::audit(before, after, done);
  EXPECT_TRUE(problems.empty()) << problems.front();
  // Every failure is the candidate's 500, and no more failed than reached it.
  EXPECT_GE(done.failed, 1u) << chaos::describe(done);
  EXPECT_EQ(done.failed, done.by_status[500]) << chaos::describe(done);
  EXPECT_LE(done.failed, requests_to_candidate) << chaos::describe(done);
  std::cout << "failing canary: " << failed_by_then << " 5xx of " << requests_to_candidate
            << " requests to the candidate in its window\n"
            << run.log << "traffic: " << chaos::describe(done) << '\n';
  EXPECT_EQ(up.process().signal_and_wait(SIGTERM, 30s), 0) << up.process().log();
}

TEST(Canary, CtrlCInTheCommandAbortsTheCanaryAndRollsBack) {
  RunningUp up({"--stage", "like"});
  ASSERT_TRUE(up.wait_serving()) << up.process().log();
  Process cli(bin_path("mysfits"),
              {"migrate", "--to", "like-adopt", "--canary", "10,100", "--step", "60", "--port",
               std::to_string(up.port())},
              {{"XDG_RUNTIME_DIR", up.runtime_dir()}});
  // Polls until the first step holds its weight.
  const auto control = port_named(up, "control");
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  bool holding = false;
  while (!holding && std::chrono::steady_clock::now() < deadline) {
    const auto answer = http(control, "GET", "/canary");
    holding =
        answer.status == 200 && !boost::json::parse(answer.body).at("steps").as_array().empty();
    if (!holding)
      std::this_thread::sleep_for(50ms);
  }
  ASSERT_TRUE(holding) << cli.log();
  EXPECT_EQ(cli.signal_and_wait(SIGINT, 30s), 1) << cli.log();
  EXPECT_NE(cli.log().find("aborted"), std::string::npos) << cli.log();
  EXPECT_NE(cli.log().find("back at stage like"), std::string::npos) << cli.log();
  const auto report = boost::json::parse(http(control, "GET", "/canary").body);
  EXPECT_EQ(report.at("state").as_string(), "aborted") << report;
  EXPECT_EQ(running_roles(up.state()), (std::set<std::string>{"monolith", "like", "gateway"}));
  EXPECT_EQ(http(up.port(), "GET", "/mysfits").status, 200);
  EXPECT_EQ(up.process().signal_and_wait(SIGTERM, 30s), 0) << up.process().log();
}

TEST(Canary, WhatCannotBeCanariedIsRefusedAndChangesNothing) {
  RunningUp up({"--stage", "like-adopt"});
  ASSERT_TRUE(up.wait_serving()) << up.process().log();
  auto backwards = mysfits_cli(up, canary_to("like"));
  EXPECT_EQ(backwards.code, 1) << backwards.log;
  EXPECT_NE(backwards.log.find("takes adopt away"), std::string::npos) << backwards.log;
  auto weights = mysfits_cli(up, {"migrate", "--to", "monolith", "--canary", "50,10"});
  EXPECT_EQ(weights.code, 1) << weights.log;
  EXPECT_NE(weights.log.find("must increase"), std::string::npos) << weights.log;
  auto step_alone = mysfits_cli(up, {"migrate", "--to", "like", "--step", "5"});
  EXPECT_EQ(step_alone.code, 2) << step_alone.log;  // a usage error: --step needs --canary
  auto abort_nothing = http(port_named(up, "control"), "POST", "/canary/abort");
  EXPECT_EQ(abort_nothing.status, 409) << abort_nothing.body;
  auto bad_report = http(port_named(up, "gateway_admin"), "PUT", "/canary", R"({"state": "done"})");
  EXPECT_EQ(bad_report.status, 400) << bad_report.body;
  EXPECT_EQ(running_roles(up.state()),
            (std::set<std::string>{"monolith", "like", "adopt", "gateway"}));

  // --plan from the running up's stage: the like and adopt routes go back to the monolith.
  auto plan = mysfits_cli(up, {"migrate", "--to", "monolith", "--plan"});
  EXPECT_EQ(plan.code, 0) << plan.log;
  EXPECT_NE(
      plan.log.find(R"("before":"mythical-mysfits-like:80","after":"mythical-mysfits-nolike:80")"),
      std::string::npos)
      << plan.log;
  EXPECT_NE(
      plan.log.find(R"("before":"mythical-mysfits-adopt:80","after":"mythical-mysfits-nolike:80")"),
      std::string::npos)
      << plan.log;
  EXPECT_EQ(up.process().signal_and_wait(SIGTERM, 30s), 0) << up.process().log();
}

}  // namespace
}  // namespace mysfits::testing
