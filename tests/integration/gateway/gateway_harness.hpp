#pragma once

// Shared set-up for the gateway's integration tests: fake targets, a gateway started on free
// loopback ports, its status page, and polling with a deadline (never a fixed sleep).

#include <boost/json.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "support/http_probe.hpp"
#include "support/process.hpp"

namespace mysfits::testing::gateway {

// Polls fn every 50 ms until it returns true or the deadline passes.
bool eventually(const std::function<bool()>& fn,
                std::chrono::milliseconds deadline = std::chrono::seconds(15));

// A fake target (tests/integration/gateway/fake_upstream.cpp) listening on `port`.
std::unique_ptr<Process> start_fake(std::uint16_t port, const std::string& name,
                                    int health_status = 200);

// One Ingress "test" routing /* to Service app:80, health checks on /health, with the given
// extra annotations lines (already indented) appended.
std::string app_ingress(const std::string& extra_annotations = "");
std::string write_file(const std::string& name, const std::string& text);

struct Gateway {
  std::uint16_t port = 0;
  std::uint16_t admin_port = 0;
  std::unique_ptr<Process> process;

  boost::json::object status() const;  // GET /status.json on the admin port
  // The state of target `address` in target group `service:port`, or "" when not registered.
  std::string target_state(const std::string& upstream, const std::string& address) const;
  bool reload();  // SIGHUP
};

// Starts mysfits-gateway with the given arguments (health checks 10x faster than the ALB's) and
// waits until it is ready.
Gateway start_gateway(std::vector<std::string> args, int threads = 2);

// The fake target's echo for a request through the gateway, or an empty object.
boost::json::object echo(const HttpResult& result);

}  // namespace mysfits::testing::gateway
