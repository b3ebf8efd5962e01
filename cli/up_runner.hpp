#pragma once

#include "cli/log_text.hpp"
#include "cli/stage_plan.hpp"

namespace mysfits::cli {

// Runs `mysfits up` until SIGINT, SIGTERM or SIGHUP, then stops everything: returns the exit
// code (0 after a clean stop, 1 when the system could not be started). log_format: how the
// children's log lines are shown.
int run_up(const UpSettings& settings, LogFormat log_format);

}  // namespace mysfits::cli
