#pragma once

#include <chrono>

#include "services/gateway/gateway_state.hpp"

namespace mysfits::gateway {

// Runs every target group's health checks as its annotations say (path, interval, timeout,
// thresholds, success codes), the way the ALB's checker does: GET with
// "User-Agent: ELB-HealthChecker/2.0", "Host: <target>", a new connection per check. tick() is
// called often on one thread (the server's worker 0) and starts the checks that are due; a new
// target is checked at once, so it leaves `initial` quickly.
class HealthChecker {
 public:
  explicit HealthChecker(GatewayState& state) : state_(state) {}

  void tick();

  static constexpr std::chrono::milliseconds kTick{100};

 private:
  void check(const std::shared_ptr<Target>& target, const TargetGroup& group);

  GatewayState& state_;
};

}  // namespace mysfits::gateway
