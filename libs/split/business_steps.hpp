#pragma once

#include <string_view>

namespace mysfits::split {

// The business steps of the workshop's strangler split: in the monolith-only stage the
// monolith runs them before persisting; once split out, the like and adopt services run them
// and the monolith's fulfill-* routes only persist. Today each step is a structured log line
// ("like processed" / "adopt processed"); real rules (fraud checks, notifications) grow here,
// in one place both deployments share.
struct StepContext {
  std::string_view mysfit_id;
  std::string_view request_id;
};

void process_like(const StepContext& context);
void process_adopt(const StepContext& context);

}  // namespace mysfits::split
