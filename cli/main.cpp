#include <CLI/CLI.hpp>

#include "cli/commands.hpp"
#include "core/config.hpp"

namespace {
int g_exit_code = 0;
}

namespace mysfits::cli {
void set_exit_code(int code) {
  g_exit_code = code;
}
int exit_code() {
  return g_exit_code;
}
}  // namespace mysfits::cli

int main(int argc, char** argv) {
  CLI::App app("mysfits: run, route and seed the Mythical Mysfits system", "mysfits");
  app.require_subcommand(1);
  mysfits::cli::add_up_command(app);
  mysfits::cli::add_migrate_command(app);
  mysfits::cli::add_restart_command(app);
  mysfits::cli::add_routes_command(app);
  mysfits::cli::add_seed_command(app);
  mysfits::cli::add_status_command(app);
  mysfits::core::parse_or_exit(app, argc, argv);
  return mysfits::cli::exit_code();
}
