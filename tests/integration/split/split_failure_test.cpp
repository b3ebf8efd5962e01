// The like service when the monolith fails: killed (502 fast), silent (504 at the deadline),
// dropping keep-alive connections between requests (no error, nothing counted twice), and
// restarted (the service recovers by itself).
#include <gtest/gtest.h>
#include <signal.h>

#include "integration/monolith/monolith_server.hpp"
#include "integration/split/fake_monolith.hpp"
#include "integration/split/step_service_process.hpp"
#include "store/mysfit.hpp"

namespace mysfits::testing {
namespace {

using namespace std::chrono_literals;

std::string like_target() {
  return "/mysfits/" + store::catalog().front().id + "/like";
}

void expect_json_error(const HttpResult& r, int status, const std::string& code) {
  EXPECT_EQ(r.status, status) << r.error << " " << r.body;
  EXPECT_EQ(r.header("content-type"), "application/json");
  auto body = parse_json(r.body);
  EXPECT_EQ(keys_of(body), (std::vector<std::string>{"error", "message"})) << r.body;
  if (body.is_object() && body.as_object().contains("error")) {
    EXPECT_EQ(body.at("error"), code.c_str());
  }
}

TEST(SplitFailure, MonolithKilledGivesBadGatewayFastAndTheServiceKeepsServing) {
  MonolithServer monolith;
  ASSERT_TRUE(monolith.start()) << monolith.log();
  StepServiceProcess like("mysfits-like", monolith_url(monolith.port()));
  ASSERT_TRUE(like.start()) << like.log();
  ASSERT_EQ(like.post(like_target()).status, 200);  // a pooled connection now exists
  monolith.kill_hard();
  for (int i = 0; i < 3; ++i) {
    auto r = like.post(like_target());
    expect_json_error(r, 502, "bad_gateway");
    EXPECT_LT(r.elapsed, 2s) << "the documented bound";
  }
  EXPECT_TRUE(like.process().running());
  EXPECT_EQ(like.get("/healthz").status, 200);
}

TEST(SplitFailure, SilentMonolithGivesGatewayTimeoutAtTheDeadline) {
  FakeMonolith fake(FakeMonolith::Mode::kSilent);
  StepServiceProcess like("mysfits-like", monolith_url(fake.port()),
                          {{"MONOLITH_TIMEOUT_MS", "600"}});
  ASSERT_TRUE(like.start("/healthz")) << like.log();
  for (int i = 0; i < 2; ++i) {
    auto r = like.post(like_target());
    expect_json_error(r, 504, "gateway_timeout");
    EXPECT_GE(r.elapsed, 600ms) << "not before the deadline";
  }
  EXPECT_EQ(fake.requests(), 2) << "a timed-out like is never sent again";
  EXPECT_TRUE(like.process().running());
}

TEST(SplitFailure, MonolithClosingKeepAlivesBetweenRequestsCausesNoErrorAndNoDoubleCount) {
  MonolithServer monolith;
  ASSERT_TRUE(monolith.start()) << monolith.log();
  FakeMonolith closing(FakeMonolith::Mode::kClosingProxy, monolith.port());
  StepServiceProcess like("mysfits-like", monolith_url(closing.port()), {{"THREADS", "1"}});
  ASSERT_TRUE(like.start("/healthz")) << like.log();
  const auto id = store::catalog().front().id;
  const auto before = monolith.likes(id);
  constexpr int kLikes = 60;
  for (int i = 0; i < kLikes; ++i) {
    auto r = like.post(like_target());
    ASSERT_EQ(r.status, 200) << i << ": " << r.body << "\n" << like.log();
  }
  EXPECT_EQ(monolith.likes(id), before + kLikes);
  EXPECT_GT(closing.connections_closed_by_us(), kLikes / 3);
}

TEST(SplitFailure, MonolithRestartedTheServiceRecoversWithoutRestarting) {
  MonolithServer monolith;
  ASSERT_TRUE(monolith.start()) << monolith.log();
  StepServiceProcess like("mysfits-like", monolith_url(monolith.port()));
  ASSERT_TRUE(like.start()) << like.log();
  const auto id = store::catalog().front().id;
  ASSERT_EQ(like.post(like_target()).status, 200);
  ASSERT_EQ(monolith.stop(), 0);
  expect_json_error(like.post(like_target()), 502, "bad_gateway");
  const auto service_pid = like.process().pid();

  ASSERT_TRUE(monolith.start(monolith.port())) << monolith.log();
  const auto before = monolith.likes(id);
  EXPECT_TRUE(poll_until([&] { return like.get("/readyz").status == 200; }));
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(like.post(like_target()).status, 200);
  }
  EXPECT_EQ(monolith.likes(id), before + 5);
  EXPECT_EQ(like.process().pid(), service_pid);
  EXPECT_TRUE(like.process().running());
}

TEST(SplitFailure, MissingOrMalformedMonolithUrlExitsTwoWithOneLine) {
  for (const char* url : {"", "ftp://monolith", "monolith:notaport", "http://"}) {
    Process service(bin_path("mysfits-like"), {"--port", "0"}, {{"MONOLITH_URL", url}});
    EXPECT_EQ(service.wait(10s), 2) << url;
    const auto log = service.log();
    EXPECT_NE(log.find("mysfits-like: "), std::string::npos) << log;
    EXPECT_EQ(std::count(log.begin(), log.end(), '\n'), 1) << log;
  }
}

}  // namespace
}  // namespace mysfits::testing
