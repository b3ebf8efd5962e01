#pragma once

#include <string>
#include <vector>

#include "cli/stage_plan.hpp"

namespace CLI {
class App;
}

namespace mysfits::cli {

// `--exec SERVICE=COMMAND`, repeatable, shared by `up` and `migrate`: a bad value is refused
// while parsing (exit 2, one line), like any other bad flag.
void add_exec_option(CLI::App& command, std::vector<std::string>& values);

// The parsed values; the last one for a service wins.
ExecOverrides exec_overrides(const std::vector<std::string>& values);

}  // namespace mysfits::cli
