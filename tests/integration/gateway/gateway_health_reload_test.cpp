// Health checks and reloads against real processes: a killed target leaves after the unhealthy
// threshold and returns after the healthy one, fail-open, and SIGHUP with good and bad input
// (connections kept, removed targets drained).
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <csignal>
#include <future>
#include <map>

#include "gateway_harness.hpp"

namespace mysfits::testing::gateway {
namespace {

std::string addr(std::uint16_t port) {
  return "127.0.0.1:" + std::to_string(port);
}

std::map<std::string, int> names_of(std::uint16_t gateway_port, int requests) {
  std::map<std::string, int> seen;
  for (int i = 0; i < requests; ++i) {
    auto e = echo(http(gateway_port, "GET", "/who"));
    ++seen[e.empty() ? "<error>" : std::string(e.at("name").as_string())];
  }
  return seen;
}

// One kept-alive client connection, to show that a reload does not drop it.
class KeepAliveClient {
 public:
  explicit KeepAliveClient(std::uint16_t port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    timeval tv{5, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  }
  ~KeepAliveClient() { ::close(fd_); }
  KeepAliveClient(const KeepAliveClient&) = delete;
  KeepAliveClient& operator=(const KeepAliveClient&) = delete;

  // The status of GET target on this connection, 0 when the connection failed.
  int get(const std::string& target) {
    if (!connected_)
      return 0;
    const std::string req = "GET " + target + " HTTP/1.1\r\nHost: localhost\r\n\r\n";
    if (::send(fd_, req.data(), req.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(req.size()))
      return 0;
    std::string data;
    for (;;) {
      auto end = data.find("\r\n\r\n");
      if (end != std::string::npos) {
        std::string lower = data.substr(0, end);
        for (auto& c : lower)
          c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        auto cl = lower.find("content-length:");
        std::size_t length = cl == std::string::npos ? 0 : std::stoul(lower.substr(cl + 15));
        if (data.size() >= end + 4 + length)
          return status_of(data);
      }
      char chunk[4096];
      auto n = ::recv(fd_, chunk, sizeof chunk, 0);
      if (n <= 0)
        return 0;
      data.append(chunk, static_cast<std::size_t>(n));
    }
  }

 private:
  int fd_;
  bool connected_ = false;
};

TEST(GatewayHealth, KilledTargetLeavesAfterThresholdAndReturnsWhenHealthy) {
  const auto port_a = free_port();
  const auto port_b = free_port();
  auto a = start_fake(port_a, "a");
  auto b = start_fake(port_b, "b");
  auto gw = start_gateway({"--ingress", write_file("health.yaml", app_ingress()), "--upstream",
                           "app:80=" + addr(port_a) + "," + addr(port_b)});
  ASSERT_TRUE(eventually([&] {
    return gw.target_state("app:80", addr(port_a)) == "healthy" &&
           gw.target_state("app:80", addr(port_b)) == "healthy";
  })) << gw.process->log();
  EXPECT_EQ(names_of(gw.port, 4), (std::map<std::string, int>{{"a", 2}, {"b", 2}}));

  b.reset();  // killed
  ASSERT_TRUE(eventually([&] { return gw.target_state("app:80", addr(port_b)) == "unhealthy"; }))
      << gw.process->log();
  EXPECT_EQ(names_of(gw.port, 4), (std::map<std::string, int>{{"a", 4}}));

  b = start_fake(port_b, "b");
  ASSERT_TRUE(eventually([&] { return gw.target_state("app:80", addr(port_b)) == "healthy"; }))
      << gw.process->log();
  EXPECT_EQ(names_of(gw.port, 4), (std::map<std::string, int>{{"a", 2}, {"b", 2}}));
}

TEST(GatewayHealth, FailsOpenWhenEveryTargetIsUnhealthy) {
  const auto port_a = free_port();
  const auto port_b = free_port();
  auto a = start_fake(port_a, "a", /*health_status=*/500);
  auto b = start_fake(port_b, "b", /*health_status=*/500);
  auto gw = start_gateway({"--ingress", write_file("failopen.yaml", app_ingress()), "--upstream",
                           "app:80=" + addr(port_a) + "," + addr(port_b)});
  ASSERT_TRUE(eventually([&] {
    return gw.target_state("app:80", addr(port_a)) == "unhealthy" &&
           gw.target_state("app:80", addr(port_b)) == "unhealthy";
  })) << gw.process->log();
  EXPECT_EQ(names_of(gw.port, 4), (std::map<std::string, int>{{"a", 2}, {"b", 2}}));
  EXPECT_TRUE(gw.status().at("target_groups").as_array().at(0).at("failing_open").as_bool());
}

TEST(GatewayReload, SighupSwitchesTargetsDrainsTheOldOneAndKeepsConnections) {
  const auto port_a = free_port();
  const auto port_b = free_port();
  auto a = start_fake(port_a, "a");
  auto b = start_fake(port_b, "b");
  const auto upstreams = write_file("reload-upstreams.txt", "app:80=" + addr(port_a) + "\n");
  auto gw = start_gateway(
      {"--ingress", write_file("reload.yaml", app_ingress()), "--upstreams-file", upstreams});
  EXPECT_EQ(names_of(gw.port, 2), (std::map<std::string, int>{{"a", 2}}));

  KeepAliveClient kept(gw.port);
  ASSERT_EQ(kept.get("/before"), 200);
  // A slow request in flight on the target that the reload removes must still finish.
  auto slow = std::async(std::launch::async, [&] {
    return http(gw.port, "GET", "/__delay/1500", "", {}, std::chrono::seconds(10));
  });
  ASSERT_TRUE(eventually([&] {
    auto s = gw.status();
    return !s.empty() &&
           s.at("target_groups").as_array().at(0).at("targets").as_array().at(0).at("in_flight") ==
               1;
  }));

  write_file("reload-upstreams.txt", "app:80=" + addr(port_b) + "\n");
  ASSERT_TRUE(gw.reload());
  ASSERT_TRUE(eventually([&] { return gw.target_state("app:80", addr(port_b)) != ""; }))
      << gw.process->log();
  EXPECT_EQ(names_of(gw.port, 3), (std::map<std::string, int>{{"b", 3}}));
  auto status = gw.status();
  ASSERT_EQ(status.at("draining").as_array().size(), 1U) << boost::json::serialize(status);
  EXPECT_EQ(status.at("draining").as_array().at(0).at("address").as_string(), addr(port_a));

  auto slow_result = slow.get();
  EXPECT_EQ(slow_result.status, 200) << slow_result.error;
  EXPECT_EQ(echo(slow_result).at("name").as_string(), "a");
  EXPECT_EQ(kept.get("/after"), 200);  // the same client connection, across the reload
}

TEST(GatewayReload, BadManifestOnSighupKeepsTheOldRules) {
  const auto port = free_port();
  auto fake = start_fake(port, "app");
  const auto manifest = write_file("bad-reload.yaml", app_ingress());
  auto gw = start_gateway({"--ingress", manifest, "--upstream", "app:80=" + addr(port)});
  ASSERT_EQ(http(gw.port, "GET", "/x").status, 200);

  write_file("bad-reload.yaml", "apiVersion: networking.k8s.io/v1\nkind: Ingress\nspec: [oops\n");
  ASSERT_TRUE(gw.reload());
  ASSERT_TRUE(eventually([&] {
    auto s = gw.status();
    return !s.empty() && !s.at("last_reload_error").as_string().empty();
  })) << gw.process->log();
  EXPECT_EQ(http(gw.port, "GET", "/x").status, 200);
  EXPECT_EQ(gw.status().at("generation").as_int64(), 1);
  EXPECT_NE(gw.process->log().find("reload_refused"), std::string::npos);
}

}  // namespace
}  // namespace mysfits::testing::gateway
