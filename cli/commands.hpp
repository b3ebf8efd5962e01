#pragma once

namespace CLI {
class App;
}

namespace mysfits::cli {

// Each subcommand registers its options and its callback on the parent app; the callback's
// return value becomes the exit code (through set_exit_code below).
void add_up_command(CLI::App& app);
void add_migrate_command(CLI::App& app);
void add_restart_command(CLI::App& app);  // in migrate_command.cpp
void add_routes_command(CLI::App& app);
void add_seed_command(CLI::App& app);
void add_status_command(CLI::App& app);

void set_exit_code(int code);
int exit_code();

}  // namespace mysfits::cli
