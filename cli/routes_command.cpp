#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/commands.hpp"

namespace mysfits::cli {

// Placeholder until its issue lands: says so and fails, so nobody mistakes it for working.
void add_routes_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("routes", "not built yet");
  cmd->allow_extras();
  cmd->callback([] {
    std::cerr << "mysfits routes: not built yet\n";
    set_exit_code(1);
  });
}

}  // namespace mysfits::cli
