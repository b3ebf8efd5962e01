#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/http_client.hpp"
#include "ingress/target_group_config.hpp"
#include "services/gateway/target_picker.hpp"
#include "services/gateway/traffic_counters.hpp"

namespace mysfits::gateway {

// The ALB's target states: initial until the first checks decide, healthy, unhealthy, and
// draining once deregistered (docs/decisions/0004-gateway-data-plane.md).
enum class TargetState { kInitial, kHealthy, kUnhealthy, kDraining };
std::string_view state_name(TargetState state);

// Consecutive-result counting for one target. Plain data, driven by the health checker on one
// thread. Leaving `initial` takes one passed check (the ALB's docs: a new target "must pass one
// health check") or unhealthy-threshold failures; afterwards the thresholds apply.
class HealthTracker {
 public:
  // Returns the new state after one check result.
  TargetState record(bool passed, const ingress::HealthCheck& check);
  TargetState state() const { return state_; }

 private:
  TargetState state_ = TargetState::kInitial;
  int successes_ = 0;
  int failures_ = 0;
};

// One registered endpoint. Shared by every request in flight to it, so a target removed on
// reload stays alive (draining) until its last response is relayed.
class Target {
 public:
  // idle_timeout bounds a whole exchange with the target (the ALB's 504 when it stays silent);
  // health_timeout bounds a health check's connect.
  // registered_in: the configuration generation that registered it (slow start tells targets
  // registered together from later ones).
  Target(std::string address, const ingress::TargetGroupConfig& config,
         std::chrono::milliseconds idle_timeout, std::chrono::milliseconds health_timeout,
         int registered_in = 1);

  const std::string& address() const { return address_; }
  core::HttpClient& client() { return client_; }
  core::HttpClient& health_client() { return health_client_; }

  TargetState state() const { return state_.load(std::memory_order_relaxed); }
  void set_state(TargetState s) { state_.store(s, std::memory_order_relaxed); }
  int in_flight() const { return in_flight_.load(std::memory_order_relaxed); }
  void begin_request() { in_flight_.fetch_add(1, std::memory_order_relaxed); }
  void end_request() { in_flight_.fetch_sub(1, std::memory_order_relaxed); }
  std::uint64_t requests() const { return requests_.load(std::memory_order_relaxed); }
  void count_request() { requests_.fetch_add(1, std::memory_order_relaxed); }
  // Why the last health check failed (empty when it passed); read by the status page.
  std::string health_reason() const;
  void set_health_reason(std::string reason);
  // Since when it ramps up in slow start; none: it takes a full share.
  std::optional<SteadyTime> slow_start_since() const;
  void set_slow_start_since(std::optional<SteadyTime> since);
  int registered_in() const { return registered_in_; }
  // The target as a choice of target sees it now.
  TargetView view() const;

  // Touched only on the health checker's thread.
  HealthTracker tracker;
  std::chrono::steady_clock::time_point next_check{};
  bool check_running = false;
  bool ever_healthy = false;
  std::string health_endpoint;  // "host:port" the checker calls

 private:
  std::string address_;
  core::HttpClient client_;
  core::HttpClient health_client_;
  std::atomic<TargetState> state_{TargetState::kInitial};
  std::atomic<int> in_flight_{0};
  std::atomic<std::uint64_t> requests_{0};
  std::atomic<SteadyTime::rep> slow_start_since_{0};  // 0: none
  int registered_in_;
  mutable std::mutex reason_mutex_;
  std::string reason_;
};

// One target group's registered targets and its load-balancing algorithm (a TargetPicker). The
// target list is fixed for the group's life (a reload builds a new group, reusing Target
// objects and the traffic counters of the group with the same id), so picking a target takes
// no lock.
class TargetGroup {
 public:
  TargetGroup(ingress::TargetGroupConfig config, std::string upstream_key,
              std::vector<std::shared_ptr<Target>> targets,
              std::shared_ptr<TrafficCounters> traffic = std::make_shared<TrafficCounters>());

  const ingress::TargetGroupConfig& config() const { return config_; }
  const std::string& upstream_key() const { return upstream_key_; }  // "service:port"
  const std::vector<std::shared_ptr<Target>>& targets() const { return targets_; }

  // A healthy target by the group's algorithm; when fewer than min_healthy_targets are healthy,
  // any registered target (fail-open). Null only when nothing is registered (the ALB's 503).
  std::shared_ptr<Target> pick();
  bool failing_open() const;
  // Every request forwarded to this group, whoever answered it.
  TrafficCounters& traffic() const { return *traffic_; }
  const std::shared_ptr<TrafficCounters>& shared_traffic() const { return traffic_; }

  // The health checker saw `target` (one of ours) go from `before` to `after`: slow start
  // begins when it turns healthy (TargetPicker::starts_slowly) and ends when it turns unhealthy.
  void note_health_change(Target& target, TargetState before, TargetState after,
                          SteadyTime now) const;

 private:
  ingress::TargetGroupConfig config_;
  TargetPicker picker_;
  std::string upstream_key_;
  std::vector<std::shared_ptr<Target>> targets_;
  std::shared_ptr<TrafficCounters> traffic_;
  std::atomic<std::uint64_t> next_{0};
};

}  // namespace mysfits::gateway
