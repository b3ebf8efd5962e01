#include <CLI/CLI.hpp>
#include <memory>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "cli/console.hpp"
#include "cli/exec_option.hpp"
#include "cli/stage_plan.hpp"
#include "cli/up_runner.hpp"

namespace mysfits::cli {

void add_up_command(CLI::App& app) {
  struct Options {
    UpSettings settings;
    std::string stage = "like-adopt";
    std::string log_format;  // empty: text on a terminal, else json
    std::vector<std::string> exec;
  };
  auto options = std::make_shared<Options>();
  auto* cmd = app.add_subcommand(
      "up",
      "Run the whole system from build/bin: the stage's services, the gateway (the \"ALB\") "
      "with the stage's Ingress from deploy/k8s/stages/, and the website. Builds nothing. "
      "Ctrl-C or SIGTERM stops everything.");
  cmd->footer(
      "Data: SQLite at $MYSFITS_DB, else .mysfits/mysfits.db under the current directory "
      "(DynamoDB when DDB_TABLE_NAME is set).\nRuntime files (state.json, the gateway's "
      "ingress link and upstreams): $XDG_RUNTIME_DIR/mysfits-up/PORT/, else "
      "/tmp/mysfits-up-UID/PORT/.");
  cmd->option_defaults()->always_capture_default();
  cmd->add_option("--stage", options->stage,
                  "Migration stage: monolith (nothing split out), like (the like service split "
                  "out), like-adopt (like and adopt split out)")
      ->check(CLI::IsMember(stage_names()));
  cmd->add_option("--port", options->settings.port, "The gateway's port (the \"ALB\")")
      ->check(CLI::Range(1, 65535));
  cmd->add_option("--web-port", options->settings.web_port, "The website's port")
      ->check(CLI::Range(1, 65535));
  cmd->add_option("--replicas", options->settings.replicas,
                  "Processes of each service behind the gateway (the seed runs 2)")
      ->check(CLI::Range(1, 16));
  cmd->add_option("--host", options->settings.host,
                  "Listen address of the gateway and the website (services always listen on "
                  "127.0.0.1)");
  cmd->add_option("--log-format", options->log_format,
                  "How the services' log lines are shown: text (for people: time, level, "
                  "service, event, key=value) or json (as the services write them). Default: "
                  "text on a terminal, else json")
      ->check(CLI::IsMember(log_format_names()))
      ->always_capture_default(false);
  add_exec_option(*cmd, options->exec);
  cmd->callback([options] {
    options->settings.stage = *parse_stage(options->stage);
    options->settings.exec = exec_overrides(options->exec);
    const LogFormat log_format = options->log_format.empty()
                                     ? Console::default_log_format()
                                     : *parse_log_format(options->log_format);
    set_exit_code(run_up(options->settings, log_format));
  });
}

}  // namespace mysfits::cli
