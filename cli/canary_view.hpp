#pragma once

#include <string>

#include "cli/canary_spec.hpp"

namespace mysfits::cli {

// "step 1/3  weight  10%  requests    41  5xx     0 ( 0.0%)  p99 <=    5 ms  pass" and the
// verdict's reason; a running step shows its live counts. Pure, for tests.
std::string canary_step_line(const CanaryReport& report, std::size_t index);

// What `mysfits migrate --canary` prints around the step lines: the header before them, the
// outcome after.
std::string canary_header(const CanaryReport& report);
std::string canary_outcome(const CanaryReport& report);

// Follows the canary the running `mysfits up` (its control endpoint on control_port) was just
// asked for: a line per step (rewritten in place with live counts when out is a terminal),
// Ctrl-C asks up to abort (it rolls back) and keeps following. Returns 0 when the canary
// succeeded, 1 otherwise.
int follow_canary(std::uint16_t control_port, const CanaryReport& started, bool terminal);

}  // namespace mysfits::cli
