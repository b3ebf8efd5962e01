// The seed's lesson done live: a running `mysfits up` is switched monolith -> like ->
// like-adopt -> monolith with `mysfits migrate` while traffic flows through the gateway, and
// not one request fails and not one write is lost.
#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <map>
#include <set>
#include <thread>

#include "chaos/traffic.hpp"
#include "integration/cli/running_up.hpp"
#include "support/http_probe.hpp"

namespace mysfits::testing {
namespace {

using namespace std::chrono_literals;

int run_migrate(const RunningUp& up, const std::string& to, std::string& log) {
  Process migrate(bin_path("mysfits"), {"migrate", "--to", to, "--port", std::to_string(up.port())},
                  {{"XDG_RUNTIME_DIR", up.runtime_dir()}});
  auto code = migrate.wait(60s);
  log = migrate.log();
  return code.value_or(-1);
}

// Steady traffic, well below capacity even under the sanitizers, until stop (at most 120 s).
std::future<chaos::TrafficReport> steady_traffic(const RunningUp& up,
                                                 const chaos::Snapshot& ids_from,
                                                 std::atomic<bool>& stop) {
  chaos::TrafficOptions options;
  options.port = up.port();
  options.rate = 400;
  options.duration = 120s;
  return chaos::start_traffic(options, ids_from, stop);
}

TEST(LiveMigration, EveryStageUnderLoadWithNoFailedRequestAndNoLostWrite) {
  RunningUp up({"--stage", "monolith", "--replicas", "2"});
  ASSERT_TRUE(up.wait_serving()) << up.process().log();
  const auto before = chaos::snapshot("127.0.0.1", up.port());
  std::atomic<bool> stop{false};
  auto traffic = steady_traffic(up, before, stop);

  const std::vector<std::pair<std::string, std::set<std::string>>> steps = {
      {"like", {"monolith", "like", "gateway"}},
      {"like-adopt", {"monolith", "like", "adopt", "gateway"}},
      {"monolith", {"monolith", "gateway"}},
      {"like-adopt", {"monolith", "like", "adopt", "gateway"}},
  };
  for (const auto& [stage, roles] : steps) {
    // Traffic flows for a while at each stage (load, not a synchronisation).
    std::this_thread::sleep_for(300ms);
    std::string log;
    EXPECT_EQ(run_migrate(up, stage, log), 0) << "to " << stage << ":\n" << log;
    EXPECT_EQ(running_roles(up.state()), roles) << "after migrating to " << stage;
    auto routed = http(up.port(), "GET", "/mysfits");
    EXPECT_EQ(routed.status, 200);
  }
  // The same switch again is a no-op that succeeds.
  std::string log;
  EXPECT_EQ(run_migrate(up, "like-adopt", log), 0) << log;

  stop = true;
  auto report = traffic.get();
  const auto after = chaos::snapshot("127.0.0.1", up.port());
  auto problems = chaos::audit(before, after, report);
  EXPECT_TRUE(problems.empty()) << problems.front();
  EXPECT_EQ(report.failed, 0u) << chaos::describe(report);
  EXPECT_GT(report.requests, 100u) << chaos::describe(report);
  std::cout << "live migration under load: " << chaos::describe(report) << '\n';

  auto code = up.process().signal_and_wait(SIGTERM, 30s);
  EXPECT_EQ(code, 0) << up.process().log();
}

TEST(RollingRestart, EveryServiceRestartedUnderLoadWithNoFailedRequest) {
  RunningUp up({"--stage", "like-adopt", "--replicas", "2"});
  ASSERT_TRUE(up.wait_serving()) << up.process().log();
  std::map<std::string, pid_t> pids_before;
  for (const auto& child : children_of(up.state()))
    pids_before[child.name] = child.pid;
  const auto before = chaos::snapshot("127.0.0.1", up.port());
  std::atomic<bool> stop{false};
  auto traffic = steady_traffic(up, before, stop);
  std::this_thread::sleep_for(300ms);  // traffic flows before the restart starts (load)
  Process restart(bin_path("mysfits"), {"restart", "--port", std::to_string(up.port())},
                  {{"XDG_RUNTIME_DIR", up.runtime_dir()}});
  EXPECT_EQ(restart.wait(120s), 0) << restart.log();
  stop = true;
  auto report = traffic.get();

  for (const auto& child : children_of(up.state())) {
    if (child.role == "gateway")
      EXPECT_EQ(child.pid, pids_before[child.name]) << "the ALB itself keeps running";
    else
      EXPECT_NE(child.pid, pids_before[child.name]) << child.name << " was not restarted";
  }
  const auto after = chaos::snapshot("127.0.0.1", up.port());
  auto problems = chaos::audit(before, after, report);
  EXPECT_TRUE(problems.empty()) << problems.front();
  EXPECT_EQ(report.failed, 0u) << chaos::describe(report);
  std::cout << "rolling restart under load: " << chaos::describe(report) << '\n';
  EXPECT_EQ(up.process().signal_and_wait(SIGTERM, 30s), 0) << up.process().log();
}

TEST(RollingRestart, OneReplicaIsRefusedBecauseNothingWouldServe) {
  RunningUp up({"--stage", "like"});
  ASSERT_TRUE(up.wait_serving()) << up.process().log();
  Process restart(bin_path("mysfits"), {"restart", "--port", std::to_string(up.port())},
                  {{"XDG_RUNTIME_DIR", up.runtime_dir()}});
  EXPECT_EQ(restart.wait(30s), 1);
  EXPECT_NE(restart.log().find("--replicas 2"), std::string::npos) << restart.log();
}

TEST(LiveMigration, BadRequestsAreRefusedClearly) {
  RunningUp up({"--stage", "like"});
  ASSERT_TRUE(up.wait_serving()) << up.process().log();
  Process unknown(bin_path("mysfits"),
                  {"migrate", "--to", "strangler", "--port", std::to_string(up.port())});
  EXPECT_EQ(unknown.wait(10s), 2);
  Process nobody(bin_path("mysfits"),
                 {"migrate", "--to", "like", "--port", std::to_string(free_port())},
                 {{"XDG_RUNTIME_DIR", up.runtime_dir()}});
  EXPECT_EQ(nobody.wait(10s), 1);
  EXPECT_NE(nobody.log().find("no mysfits up is running"), std::string::npos) << nobody.log();
  EXPECT_EQ(running_roles(up.state()), (std::set<std::string>{"monolith", "like", "gateway"}));
}

}  // namespace
}  // namespace mysfits::testing
