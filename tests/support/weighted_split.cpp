#include "support/weighted_split.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cmath>
#include <memory>
#include <thread>

#include "support/build_tree.hpp"
#include "support/http_probe.hpp"
#include "support/process.hpp"

namespace mysfits::testing {
namespace {

using namespace std::chrono_literals;

bool all_healthy(std::uint16_t admin_port) {
  const auto status = http(admin_port, "GET", "/status.json");
  if (status.status != 200)
    return false;
  const auto parsed = boost::json::parse(status.body);
  for (const auto& group : parsed.at("target_groups").as_array()) {
    for (const auto& target : group.at("targets").as_array()) {
      if (target.at("state").as_string() != "healthy")
        return false;
    }
  }
  return true;
}

}  // namespace

std::map<std::string, std::uint64_t> split_requests(const std::string& ingress_file,
                                                    const std::map<std::string, int>& upstreams,
                                                    const std::string& target, int requests,
                                                    int expect_status) {
  std::map<std::string, std::uint64_t> served;
  std::vector<std::unique_ptr<Process>> pods;
  std::vector<std::uint16_t> ports;
  for (const char* name : {"first", "second"}) {
    ports.push_back(free_port());
    pods.push_back(std::make_unique<Process>(
        bin_path("mysfits-monolith"), std::vector<std::string>{},
        std::map<std::string, std::string>{{"HOST", "127.0.0.1"},
                                           {"PORT", std::to_string(ports.back())},
                                           {"MYSFITS_DB", temp_dir() + "/split-" + name + ".db"}}));
    EXPECT_TRUE(wait_ready(ports.back(), "/readyz", 20s, pods.back().get())) << pods.back()->log();
  }
  const auto port = free_port();
  const auto admin_port = free_port();
  std::vector<std::string> args{"--host",
                                "127.0.0.1",
                                "--port",
                                std::to_string(port),
                                "--admin-port",
                                std::to_string(admin_port),
                                "--ingress",
                                ingress_file,
                                "--health-check-speedup",
                                "20"};
  for (const auto& [key, pod] : upstreams) {
    args.push_back("--upstream");
    args.push_back(key + "=127.0.0.1:" + std::to_string(ports.at(static_cast<std::size_t>(pod))));
  }
  Process gateway(bin_path("mysfits-gateway"), args);
  if (!wait_ready(admin_port, "/readyz", 20s, &gateway)) {
    ADD_FAILURE() << gateway.log();
    return served;
  }
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (!all_healthy(admin_port) && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(20ms);  // polling health checks, not a synchronisation
  EXPECT_TRUE(all_healthy(admin_port)) << http(admin_port, "GET", "/status.json").body;

  for (int i = 0; i < requests; ++i) {
    const auto answer = http(port, "POST", target);
    if (answer.status != expect_status) {
      ADD_FAILURE() << "request " << i << " answered " << answer.status << ": " << answer.body;
      return served;
    }
  }
  const auto status = boost::json::parse(http(admin_port, "GET", "/status.json").body);
  for (const auto& group : status.at("target_groups").as_array()) {
    served[std::string(group.at("upstream").as_string())] +=
        group.at("traffic").at("requests").to_number<std::uint64_t>();
  }
  return served;
}

SplitBounds binomial_bounds(int requests, double share) {
  const double mean = requests * share;
  const double deviation = std::sqrt(requests * share * (1 - share));
  return {mean - 5 * deviation, mean + 5 * deviation};
}

}  // namespace mysfits::testing
