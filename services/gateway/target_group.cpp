#include "services/gateway/target_group.hpp"

#include <limits>

namespace mysfits::gateway {
namespace {

// The ALB opens a target connection within 10 s or answers 504.
constexpr std::chrono::milliseconds kTargetConnectTimeout{10'000};

core::Endpoint endpoint_for(const std::string& address, const std::string& protocol) {
  auto parsed = core::Endpoint::parse((protocol == "HTTPS" ? "https://" : "http://") + address);
  return parsed ? parsed.value() : core::Endpoint{};
}

// The checker may call another port than the traffic port ("healthcheck-port").
std::string health_address(const std::string& address, const std::string& port) {
  if (port.empty() || port == "traffic-port")
    return address;
  return address.substr(0, address.rfind(':')) + ":" + port;
}

core::ClientOptions traffic_options(std::chrono::milliseconds idle_timeout) {
  core::ClientOptions options;
  options.connect_timeout = kTargetConnectTimeout;
  options.request_timeout = idle_timeout;
  // One retry covers the keep-alive race (a pooled connection the target just closed); the
  // client never replays a request the target may have processed.
  options.max_connect_retries = 1;
  options.verify_tls = false;  // the ALB does not validate target certificates
  options.idle_timeout = idle_timeout;
  return options;
}

core::ClientOptions health_options(std::chrono::milliseconds timeout) {
  core::ClientOptions options;
  options.connect_timeout = timeout;
  options.request_timeout = timeout;
  options.max_connect_retries = 0;
  options.max_idle_per_thread = 0;  // the checker closes its connection after every check
  options.verify_tls = false;
  return options;
}

}  // namespace

std::string_view state_name(TargetState state) {
  switch (state) {
    case TargetState::kInitial:
      return "initial";
    case TargetState::kHealthy:
      return "healthy";
    case TargetState::kUnhealthy:
      return "unhealthy";
    case TargetState::kDraining:
      return "draining";
  }
  return "unknown";
}

TargetState HealthTracker::record(bool passed, const ingress::HealthCheck& check) {
  if (passed) {
    failures_ = 0;
    ++successes_;
    if (state_ == TargetState::kInitial || successes_ >= check.healthy_threshold)
      state_ = TargetState::kHealthy;
  } else {
    successes_ = 0;
    ++failures_;
    if (failures_ >= check.unhealthy_threshold)
      state_ = TargetState::kUnhealthy;
  }
  return state_;
}

Target::Target(std::string address, const ingress::TargetGroupConfig& config,
               std::chrono::milliseconds idle_timeout, std::chrono::milliseconds health_timeout)
    : health_endpoint(health_address(address, config.health_check.port)),
      address_(std::move(address)),
      client_(endpoint_for(address_, config.protocol), traffic_options(idle_timeout)),
      health_client_(endpoint_for(health_endpoint, config.health_check.protocol),
                     health_options(health_timeout)) {}

std::string Target::health_reason() const {
  std::lock_guard lock(reason_mutex_);
  return reason_;
}

void Target::set_health_reason(std::string reason) {
  std::lock_guard lock(reason_mutex_);
  reason_ = std::move(reason);
}

TargetGroup::TargetGroup(ingress::TargetGroupConfig config, std::string upstream_key,
                         std::vector<std::shared_ptr<Target>> targets)
    : config_(std::move(config)),
      upstream_key_(std::move(upstream_key)),
      targets_(std::move(targets)) {}

bool TargetGroup::failing_open() const {
  int healthy = 0;
  for (const auto& t : targets_)
    healthy += t->state() == TargetState::kHealthy ? 1 : 0;
  return !targets_.empty() && healthy < config_.min_healthy_targets;
}

std::shared_ptr<Target> TargetGroup::pick() {
  if (targets_.empty())
    return nullptr;
  const bool any = failing_open();
  const std::size_t n = targets_.size();
  const std::size_t start = next_.fetch_add(1, std::memory_order_relaxed);
  if (config_.algorithm == ingress::Algorithm::kLeastOutstandingRequests) {
    std::shared_ptr<Target> best;
    int best_load = std::numeric_limits<int>::max();
    for (std::size_t i = 0; i < n; ++i) {
      const auto& t = targets_[(start + i) % n];
      if (!any && t->state() != TargetState::kHealthy)
        continue;
      if (t->in_flight() < best_load) {
        best = t;
        best_load = t->in_flight();
      }
    }
    return best;
  }
  // Round robin (weighted_random has no per-target weights here, so it behaves the same): the
  // k-th eligible target, k from a shared counter, so skipped targets do not skew the rotation.
  std::size_t eligible = 0;
  for (const auto& t : targets_)
    eligible += (any || t->state() == TargetState::kHealthy) ? 1 : 0;
  if (eligible == 0)
    return targets_[start % n];
  std::size_t k = start % eligible;
  for (const auto& t : targets_) {
    if (!any && t->state() != TargetState::kHealthy)
      continue;
    if (k-- == 0)
      return t;
  }
  return targets_.front();
}

}  // namespace mysfits::gateway
