#pragma once

#include "cli/stage_plan.hpp"

namespace mysfits::cli {

// Runs `mysfits up` until SIGINT, SIGTERM or SIGHUP, then stops everything: returns the exit
// code (0 after a clean stop, 1 when the system could not be started).
int run_up(const UpSettings& settings);

}  // namespace mysfits::cli
