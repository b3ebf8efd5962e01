#include "services/gateway/target_group.hpp"

#include <boost/container/small_vector.hpp>
#include <random>

namespace mysfits::gateway {
namespace {

using Views = boost::container::small_vector<TargetView, 8>;

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
  // Every connection opened to a target is kept for the next request (idle_timeout closes those
  // left unused): with more requests in flight than the default idle limit (64), connections
  // were closed as they came back and opened again for the next request, about one request in
  // five at 256 client connections.
  options.max_idle_per_thread = options.max_open_per_thread;
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
               std::chrono::milliseconds idle_timeout, std::chrono::milliseconds health_timeout,
               int registered_in)
    : health_endpoint(health_address(address, config.health_check.port)),
      address_(std::move(address)),
      client_(endpoint_for(address_, config.protocol), traffic_options(idle_timeout)),
      health_client_(endpoint_for(health_endpoint, config.health_check.protocol),
                     health_options(health_timeout)),
      registered_in_(registered_in) {}

std::optional<SteadyTime> Target::slow_start_since() const {
  const auto ticks = slow_start_since_.load(std::memory_order_relaxed);
  if (ticks == 0)
    return std::nullopt;
  return SteadyTime(SteadyTime::duration(ticks));
}

void Target::set_slow_start_since(std::optional<SteadyTime> since) {
  slow_start_since_.store(since ? since->time_since_epoch().count() : 0, std::memory_order_relaxed);
}

TargetView Target::view() const {
  return TargetView{state() == TargetState::kHealthy, in_flight(), slow_start_since(),
                    registered_in_};
}

std::string Target::health_reason() const {
  std::lock_guard lock(reason_mutex_);
  return reason_;
}

void Target::set_health_reason(std::string reason) {
  std::lock_guard lock(reason_mutex_);
  reason_ = std::move(reason);
}

TargetGroup::TargetGroup(ingress::TargetGroupConfig config, std::string upstream_key,
                         std::vector<std::shared_ptr<Target>> targets,
                         std::shared_ptr<TrafficCounters> traffic)
    : config_(std::move(config)),
      picker_(config_),
      upstream_key_(std::move(upstream_key)),
      targets_(std::move(targets)),
      traffic_(std::move(traffic)) {}

bool TargetGroup::failing_open() const {
  int healthy = 0;
  for (const auto& t : targets_)
    healthy += t->state() == TargetState::kHealthy ? 1 : 0;
  return !targets_.empty() && healthy < config_.min_healthy_targets;
}

std::shared_ptr<Target> TargetGroup::pick() {
  thread_local std::minstd_rand rng{std::random_device{}()};
  Views views;
  for (const auto& t : targets_)
    views.push_back(t->view());
  PickInput in;
  in.turn = next_.fetch_add(1, std::memory_order_relaxed);
  in.draw = std::uniform_real_distribution<double>(0.0, 1.0)(rng);
  in.now = std::chrono::steady_clock::now();
  const auto chosen = picker_.pick(views, in);
  return chosen ? targets_[*chosen] : nullptr;
}

void TargetGroup::note_health_change(Target& target, TargetState before, TargetState after,
                                     SteadyTime now) const {
  if (after == TargetState::kUnhealthy) {
    target.set_slow_start_since(std::nullopt);  // it leaves slow start, the ALB's rule
    return;
  }
  if (after != TargetState::kHealthy || before == TargetState::kHealthy)
    return;
  Views others;
  for (const auto& t : targets_) {
    if (t.get() != &target)
      others.push_back(t->view());
  }
  const bool slowly = picker_.starts_slowly(target.view(), !target.ever_healthy, others, now);
  target.set_slow_start_since(slowly ? std::optional<SteadyTime>(now) : std::nullopt);
  target.ever_healthy = true;
}

}  // namespace mysfits::gateway
