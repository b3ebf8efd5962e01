// mysfits migrate --to STAGE [--port P] and mysfits restart [--port P]: ask the running
// `mysfits up` to switch stages live, or to restart every service one replica slot at a time,
// and wait until it is done.
#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <memory>

#include "cli/commands.hpp"
#include "cli/stage_plan.hpp"
#include "cli/up_control.hpp"

namespace mysfits::cli {

void add_migrate_command(CLI::App& app) {
  struct Options {
    std::string to;
    std::uint16_t port = 8080;
  };
  auto options = std::make_shared<Options>();
  auto* cmd = app.add_subcommand(
      "migrate",
      "Switch a running `mysfits up` to another stage with no failed request: starts what the "
      "new stage needs, routes to it, then drains and stops what it no longer needs.");
  cmd->option_defaults()->always_capture_default();
  cmd->add_option("--to", options->to, "The stage to switch to")
      ->required()
      ->check(CLI::IsMember(stage_names()));
  cmd->add_option("--port", options->port, "The running gateway's port (mysfits up --port)")
      ->check(CLI::Range(1, 65535));
  cmd->callback([options] {
    boost::json::object body;
    body["to"] = options->to;
    set_exit_code(ask_up("migrate", options->port, "/stage", boost::json::serialize(body)));
  });
}

void add_restart_command(CLI::App& app) {
  auto port = std::make_shared<std::uint16_t>(8080);
  auto* cmd = app.add_subcommand(
      "restart",
      "Rolling restart of every service behind the gateway of a running `mysfits up` (run with "
      "--replicas 2 or more), one replica slot at a time, with no failed request.");
  cmd->option_defaults()->always_capture_default();
  cmd->add_option("--port", *port, "The running gateway's port (mysfits up --port)")
      ->check(CLI::Range(1, 65535));
  cmd->callback([port] { set_exit_code(ask_up("restart", *port, "/restart", "")); });
}

}  // namespace mysfits::cli
