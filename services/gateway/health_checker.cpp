#include "services/gateway/health_checker.hpp"

#include "core/logging.hpp"

namespace mysfits::gateway {
namespace {

using Clock = std::chrono::steady_clock;

std::chrono::milliseconds scaled(int seconds, double speedup) {
  return std::chrono::milliseconds(static_cast<long long>(seconds * 1000.0 / speedup));
}

}  // namespace

void HealthChecker::tick() {
  auto snapshot = state_.current();
  const auto now = Clock::now();
  for (const auto& [id, group] : snapshot->groups) {
    for (const auto& target : group->targets()) {
      if (target->check_running || now < target->next_check)
        continue;
      target->next_check = now + scaled(group->config().health_check.interval_seconds,
                                        state_.sources().health_check_speedup);
      check(target, *group);
    }
  }
}

void HealthChecker::check(const std::shared_ptr<Target>& target, const TargetGroup& group) {
  const ingress::HealthCheck& hc = group.config().health_check;
  core::ClientRequest request;
  request.method = "GET";
  request.target = hc.path;
  request.headers = {{"Host", target->health_endpoint},
                     {"User-Agent", "ELB-HealthChecker/2.0"},
                     {"Connection", "close"}};
  request.timeout = scaled(hc.timeout_seconds, state_.sources().health_check_speedup);
  target->check_running = true;
  target->health_client().send(std::move(request), [this, target, hc, group_id = group.config().id](
                                                       core::Result<core::ClientResponse> result) {
    target->check_running = false;
    if (target->state() == TargetState::kDraining)
      return;
    const bool passed = result.ok() && hc.success_codes.contains(result->status);
    std::string reason;
    if (!result.ok())
      reason = result.error().message;
    else if (!passed)
      reason = "status " + std::to_string(result->status) + " not in " + hc.success_codes.text();
    const TargetState before = target->state();
    const TargetState after = target->tracker.record(passed, hc);
    target->set_state(after);
    if (after != before) {
      // The group as configured now: a reload may have replaced it, keeping this target.
      const auto snapshot = state_.current();
      if (const TargetGroup* now = snapshot->group(group_id))
        now->note_health_change(*target, before, after, Clock::now());
      core::log_info("target_health", {{"target_group", group_id},
                                       {"target", target->address()},
                                       {"from", state_name(before)},
                                       {"to", state_name(after)},
                                       {"reason", reason}});
    }
    target->set_health_reason(std::move(reason));
  });
}

}  // namespace mysfits::gateway
