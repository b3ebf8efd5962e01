// mysfits migrate --to STAGE [--canary P1,...,100 ...] [--plan [--from STAGE]] [--port P] and
// mysfits restart [--port P]: ask the running `mysfits up` to switch stages live (at once, or
// in weighted steps judged by the new services' traffic), show what a switch would change, or
// restart every service one replica slot at a time.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <cmath>
#include <iostream>
#include <memory>

#include "cli/canary_spec.hpp"
#include "cli/canary_view.hpp"
#include "cli/commands.hpp"
#include "cli/exec_option.hpp"
#include "cli/http_probe.hpp"
#include "cli/installation.hpp"
#include "cli/migration_plan.hpp"
#include "cli/stage_plan.hpp"
#include "cli/up_control.hpp"
#include "ingress/serving.hpp"

namespace mysfits::cli {
namespace {

struct MigrateOptions {
  std::string to;
  std::string from;
  std::uint16_t port = 8080;
  bool plan = false;
  std::string canary;
  double step_seconds = 30;
  double max_error_rate = 1;
  double max_p99_ms = 500;
  std::uint64_t min_requests = 20;
  std::vector<std::string> exec;
};

int fail(const std::string& message) {
  std::cerr << "mysfits migrate: " << message << '\n';
  return 1;
}

// One JSON line per request class whose backend the switch changes; nothing for the others.
int print_plan(const MigrateOptions& options) {
  std::string from = options.from;
  if (from.empty()) {
    std::string error;
    auto state = read_up_state(options.port, error);
    const boost::json::value* stage = state ? state->if_contains("stage") : nullptr;
    if (stage == nullptr || !stage->is_string())
      return fail(error.empty() ? "the running mysfits up did not say its stage"
                                : error + " (or give --from)");
    from = std::string(stage->as_string());
  }
  auto installation = Installation::locate();
  if (!installation)
    return fail(installation.error().message);
  UpLayout layout;
  layout.source_dir = installation->source_dir;
  auto routes = [&](const std::string& name) {
    return ingress::load_serving({ingress_path(layout, *parse_stage(name)).string()});
  };
  auto before = routes(from);
  auto after = routes(options.to);
  if (!before || !after)
    return fail((!before ? before : after).error().message);
  for (const auto& change : route_changes(before->routes, after->routes))
    std::cout << to_json_line(change) << '\n';
  return 0;
}

int start_canary(const MigrateOptions& options) {
  auto weights = parse_canary_weights(options.canary);
  if (!weights)
    return fail(weights.error().message);
  CanarySpec spec;
  spec.to = *parse_stage(options.to);
  spec.weights = std::move(*weights);
  spec.step = std::chrono::milliseconds(std::llround(options.step_seconds * 1000));
  spec.thresholds = {options.max_error_rate, options.max_p99_ms, options.min_requests};
  spec.exec = exec_overrides(options.exec);

  std::string error;
  const std::uint16_t control = control_port_of(options.port, error);
  if (control == 0)
    return fail(error);
  const auto answer = post_to_control(control, "/canary", boost::json::serialize(to_json(spec)),
                                      std::chrono::milliseconds(10'000));
  auto report = canary_report_from_json(answer.body);
  if (answer.status != 202 || !report) {
    boost::system::error_code ec;
    auto doc = boost::json::parse(answer.body, ec);
    const boost::json::value* message =
        !ec && doc.is_object() ? doc.as_object().if_contains("message") : nullptr;
    return fail(message != nullptr && message->is_string()
                    ? std::string(message->as_string()) + " (" + std::to_string(answer.status) + ")"
                    : "mysfits up on port " + std::to_string(options.port) + " did not answer");
  }
  return follow_canary(control, *report, ::isatty(STDOUT_FILENO) == 1);
}

}  // namespace

void add_migrate_command(CLI::App& app) {
  auto options = std::make_shared<MigrateOptions>();
  auto* cmd = app.add_subcommand(
      "migrate",
      "Switch a running `mysfits up` to another stage with no failed request: starts what the "
      "new stage needs, routes to it (at once, or in canary steps judged by its traffic), then "
      "drains and stops what it no longer needs.");
  cmd->option_defaults()->always_capture_default();
  cmd->add_option("--to", options->to, "The stage to switch to")
      ->required()
      ->check(CLI::IsMember(stage_names()));
  cmd->add_option("--port", options->port, "The running gateway's port (mysfits up --port)")
      ->check(CLI::Range(1, 65535));
  auto* plan = cmd->add_flag("--plan", options->plan,
                             "Change nothing: print one JSON line per request class whose backend "
                             "the switch would change");
  cmd->add_option("--from", options->from,
                  "With --plan: the stage to compare with (default: the running up's)")
      ->check(CLI::IsMember(stage_names()))
      ->needs(plan);
  auto* canary = cmd->add_option(
      "--canary", options->canary,
      "Move the routes in steps: percentages of their traffic for the new services, ending at "
      "100 (e.g. 10,50,100); a step that breaches a threshold rolls everything back");
  canary->excludes(plan);
  cmd->add_option("--step", options->step_seconds, "Seconds each canary weight is held and judged")
      ->check(CLI::Range(0.1, 3600.0))
      ->needs(canary);
  cmd->add_option("--max-error-rate", options->max_error_rate,
                  "A step fails when more than this percentage of the new services' answers "
                  "are 5xx")
      ->check(CLI::Range(0.0, 100.0))
      ->needs(canary);
  cmd->add_option("--max-p99-ms", options->max_p99_ms,
                  "A step fails when the new services' p99 latency is over this")
      ->check(CLI::Range(1.0, 600'000.0))
      ->needs(canary);
  cmd->add_option("--min-requests", options->min_requests,
                  "With fewer requests a window is inconclusive and held again (at most 3 times)")
      ->needs(canary);
  add_exec_option(*cmd, options->exec);
  cmd->callback([options] {
    if (options->plan) {
      set_exit_code(print_plan(*options));
      return;
    }
    if (!options->canary.empty()) {
      set_exit_code(start_canary(*options));
      return;
    }
    boost::json::object body;
    body["to"] = options->to;
    boost::json::object exec;
    for (const auto& [service, command] : exec_overrides(options->exec))
      exec[service] = command;
    body["exec"] = std::move(exec);
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
