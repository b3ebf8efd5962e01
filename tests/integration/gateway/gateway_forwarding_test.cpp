// The data plane against real processes: the seed's Ingress with the real monolith, the ALB's
// forwarded headers, keep-alive reuse towards targets, and the ALB's own error answers.
#include <gtest/gtest.h>

#include <mutex>
#include <regex>
#include <set>
#include <thread>
#include <vector>

#include "gateway_harness.hpp"

namespace mysfits::testing::gateway {
namespace {

std::string addr(std::uint16_t port) {
  return "127.0.0.1:" + std::to_string(port);
}

std::string header_of(const boost::json::object& echo, const char* name) {
  if (!echo.contains("headers") || !echo.at("headers").as_object().contains(name))
    return "<absent>";
  return std::string(echo.at("headers").at(name).as_string());
}

TEST(GatewayForwarding, SeedIngressRoutesLikeToTheLikeServiceAndTheRestToTheMonolith) {
  const auto monolith_port = free_port();
  Process monolith(bin_path("mysfits-monolith"), {},
                   {{"HOST", "127.0.0.1"},
                    {"PORT", std::to_string(monolith_port)},
                    {"MYSFITS_DB", temp_dir() + "/seed-routing.db"}});
  ASSERT_TRUE(wait_ready(monolith_port, "/readyz", std::chrono::seconds(15), &monolith))
      << monolith.log();
  const auto like_port = free_port();
  auto like = start_fake(like_port, "like");

  auto gw = start_gateway({"--ingress", source_path("deploy/k8s/stages/like/ingress.yaml"),
                           "--upstream", "mythical-mysfits-nolike:80=" + addr(monolith_port),
                           "--upstream", "mythical-mysfits-like:80=" + addr(like_port)});

  auto list = http(gw.port, "GET", "/mysfits");
  EXPECT_EQ(list.status, 200) << list.body;
  EXPECT_NE(list.body.find("\"mysfits\""), std::string::npos);
  auto head = http(gw.port, "HEAD", "/mysfits");
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.header("content-length"), std::to_string(list.body.size()));

  auto liked = echo(http(gw.port, "POST", "/mysfits/abc/like", "{}"));
  ASSERT_FALSE(liked.empty());
  EXPECT_EQ(liked.at("name").as_string(), "like");
  EXPECT_EQ(liked.at("target").as_string(), "/mysfits/abc/like");

  for (const char* persistence : {"/mysfits/abc/fulfill-like", "/mysfits/abc/fulfill-adopt"}) {
    auto hidden = http(gw.port, "POST", persistence, "{}");
    EXPECT_EQ(hidden.status, 404) << persistence;
    EXPECT_EQ(hidden.header("server"), "awselb/2.0");
    EXPECT_NE(hidden.body.find("not_found"), std::string::npos);
  }
  // The monolith is the health-checked target of "/*": it turns healthy on /readyz.
  EXPECT_TRUE(eventually([&] {
    return gw.target_state("mythical-mysfits-nolike:80", addr(monolith_port)) == "healthy";
  }));
  // The status page lists the rules in priority order and the targets with their health.
  auto page = http(gw.admin_port, "GET", "/status");
  EXPECT_EQ(page.status, 200);
  const auto fulfill = page.body.find("/mysfits/*/fulfill-like");
  const auto like_rule = page.body.find("/mysfits/*/like");
  const auto catch_all = page.body.find("path-pattern /*");
  EXPECT_LT(fulfill, like_rule);
  EXPECT_LT(like_rule, catch_all);
  EXPECT_NE(catch_all, std::string::npos);
  EXPECT_NE(page.body.find(addr(monolith_port) +
                           "</code></td><td><span class=\"tag tag-healthy\">healthy</span>"),
            std::string::npos)
      << page.body;
}

TEST(GatewayForwarding, AddsForwardedHeadersAndAnAlbTraceId) {
  const auto port = free_port();
  auto fake = start_fake(port, "app");
  auto gw = start_gateway({"--ingress", write_file("headers.yaml", app_ingress()), "--upstream",
                           "app:80=" + addr(port)});

  auto plain = echo(http(gw.port, "GET", "/who?x=1", "",
                         {{"X-Forwarded-For", "203.0.113.7"}, {"X-Forwarded-Proto", "https"}}));
  ASSERT_FALSE(plain.empty());
  EXPECT_EQ(plain.at("target").as_string(), "/who?x=1");
  EXPECT_EQ(header_of(plain, "x-forwarded-for"), "203.0.113.7, 127.0.0.1");
  EXPECT_EQ(header_of(plain, "x-forwarded-proto"), "http");
  EXPECT_EQ(header_of(plain, "x-forwarded-port"), std::to_string(gw.port));
  EXPECT_EQ(header_of(plain, "host"), addr(gw.port));
  EXPECT_TRUE(std::regex_match(header_of(plain, "x-amzn-trace-id"),
                               std::regex("Root=1-[0-9a-f]{8}-[0-9a-f]{24}")))
      << header_of(plain, "x-amzn-trace-id");

  auto traced = echo(http(gw.port, "GET", "/who", "",
                          {{"X-Amzn-Trace-Id", "Root=1-5759e988-bd862e3fe1be46a994272793"}}));
  EXPECT_TRUE(std::regex_match(
      header_of(traced, "x-amzn-trace-id"),
      std::regex("Self=1-[0-9a-f]{8}-[0-9a-f]{24};Root=1-5759e988-bd862e3fe1be46a994272793")))
      << header_of(traced, "x-amzn-trace-id");

  std::string long_chain = "10.0.0.1";
  for (int i = 2; i <= 31; ++i)
    long_chain += ", 10.0.0." + std::to_string(i);
  EXPECT_EQ(http(gw.port, "GET", "/who", "", {{"X-Forwarded-For", long_chain}}).status, 463);
  EXPECT_EQ(http(gw.port, "TRACE", "/who").status, 405);
}

TEST(GatewayForwarding, ReusesKeepAliveConnectionsToTargets) {
  const auto port = free_port();
  auto fake = start_fake(port, "app");
  auto gw = start_gateway(
      {"--ingress", write_file("reuse.yaml", app_ingress()), "--upstream", "app:80=" + addr(port)},
      /*threads=*/1);
  std::set<std::int64_t> connections;
  for (int i = 0; i < 10; ++i) {
    auto e = echo(http(gw.port, "GET", "/n/" + std::to_string(i)));
    ASSERT_FALSE(e.empty());
    connections.insert(e.at("connection").as_int64());
  }
  // Ten client connections, one target connection (health checks use their own and close it).
  EXPECT_EQ(connections.size(), 1U);
}

// More requests in flight than the HTTP client's default idle limit (64): every connection the
// gateway opened to the target comes back to its pool, so a second wave opens none.
TEST(GatewayForwarding, KeepsEveryTargetConnectionItOpenedForTheNextWave) {
  constexpr int kInFlight = 100;
  const auto port = free_port();
  auto fake = start_fake(port, "app");
  auto gw = start_gateway(
      {"--ingress", write_file("wave.yaml", app_ingress()), "--upstream", "app:80=" + addr(port)},
      /*threads=*/1);
  const auto wave = [&] {
    std::mutex mutex;
    std::set<std::int64_t> connections;
    std::vector<std::thread> clients;
    for (int i = 0; i < kInFlight; ++i) {
      clients.emplace_back([&] {
        // Slow enough that every request of the wave is at the target at once.
        auto e = echo(http(gw.port, "GET", "/__delay/300"));
        std::lock_guard lock(mutex);
        connections.insert(e.empty() ? -1 : e.at("connection").as_int64());
      });
    }
    for (auto& client : clients)
      client.join();
    return connections;
  };
  const auto first = wave();
  ASSERT_FALSE(first.contains(-1)) << "a request of the first wave failed";
  const auto second = wave();
  ASSERT_FALSE(second.contains(-1)) << "a request of the second wave failed";
  for (auto connection : second)
    EXPECT_TRUE(first.contains(connection)) << "connection " << connection << " is new";
}

TEST(GatewayForwarding, NoRegisteredTargetIs503) {
  auto gw = start_gateway(
      {"--ingress", write_file("empty.yaml", app_ingress()), "--upstream", "app:80="});
  auto r = http(gw.port, "GET", "/");
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(r.header("server"), "awselb/2.0");
}

TEST(GatewayForwarding, TargetResetIs502AndRefusedIs502) {
  const auto port = free_port();
  auto fake = start_fake(port, "app");
  const auto dead_port = free_port();
  auto gw = start_gateway(
      {"--ingress", write_file("reset.yaml", app_ingress()), "--upstream", "app:80=" + addr(port)});
  EXPECT_EQ(http(gw.port, "GET", "/__reset").status, 502);
  EXPECT_EQ(http(gw.port, "GET", "/after-reset").status, 200);

  auto gw_dead = start_gateway({"--ingress", write_file("refused.yaml", app_ingress()),
                                "--upstream", "app:80=" + addr(dead_port)});
  EXPECT_EQ(http(gw_dead.port, "GET", "/").status, 502);
}

// A gateway for app_ingress() whose load balancer has the given idle timeout, forwarding to a
// target on port.
Gateway gateway_with_idle_timeout(const std::string& file, int idle_seconds, std::uint16_t port,
                                  std::vector<std::string> extra_args = {}) {
  std::vector<std::string> args = {
      "--ingress",
      write_file(file, app_ingress("    alb.ingress.kubernetes.io/load-balancer-attributes: "
                                   "idle_timeout.timeout_seconds=" +
                                   std::to_string(idle_seconds) + "\n")),
      "--upstream", "app:80=" + addr(port)};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  return start_gateway(std::move(args));
}

TEST(GatewayForwarding, SilentTargetIs504AfterTheIdleTimeout) {
  const auto port = free_port();
  auto fake = start_fake(port, "app");
  auto gw = gateway_with_idle_timeout("stall.yaml", 1, port);
  auto r = http(gw.port, "GET", "/__stall", "", {}, std::chrono::seconds(10));
  EXPECT_EQ(r.status, 504) << r.error;
  EXPECT_EQ(http(gw.port, "GET", "/fine").status, 200);
}

// How long the gateway keeps a connection that sent half a request: it closes it, silently.
std::chrono::milliseconds half_request_held(std::uint16_t port) {
  const auto start = std::chrono::steady_clock::now();
  const std::string answer =
      raw_exchange(port, "GET / HTTP/1.1\r\nHost: x\r\n", std::chrono::seconds(20));
  EXPECT_EQ(answer, "");
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                               start);
}

// No flag is silently replaced: --request-timeout-ms bounds one request's arrival when given;
// without it the load balancer's idle timeout does (the core default would be 10 s).
TEST(GatewayForwarding, RequestTimeoutIsTheFlagWhenGivenElseTheIdleTimeout) {
  const auto port = free_port();
  auto fake = start_fake(port, "app");
  auto flagged =
      gateway_with_idle_timeout("timeout-flag.yaml", 30, port, {"--request-timeout-ms", "300"});
  EXPECT_LT(half_request_held(flagged.port), std::chrono::seconds(5))
      << "--request-timeout-ms 300 was not honoured (idle timeout 30 s)";

  auto defaulted = gateway_with_idle_timeout("timeout-idle.yaml", 1, port);
  const auto held = half_request_held(defaulted.port);
  EXPECT_GE(held, std::chrono::milliseconds(900)) << "cut off before the idle timeout";
  EXPECT_LT(held, std::chrono::seconds(5)) << "the 1 s idle timeout did not bound the request";
}

}  // namespace
}  // namespace mysfits::testing::gateway
