// mysfits status [--port P] [--json]: the running `mysfits up` in the terminal, read from its
// gateway's admin port (GET /status.json): stage, listener rules, target groups and targets.
#include <CLI/CLI.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>
#include <iostream>
#include <memory>

#include "cli/commands.hpp"
#include "cli/http_probe.hpp"
#include "cli/stage_plan.hpp"
#include "cli/status_view.hpp"
#include "cli/up_control.hpp"

namespace mysfits::cli {
namespace {

constexpr std::chrono::seconds kAnswerTimeout{5};

int fail(const std::string& message) {
  std::cerr << "mysfits status: " << message << '\n';
  return 1;
}

int show_status(std::uint16_t gateway_port, bool as_json) {
  std::string error;
  auto state = read_up_state(gateway_port, error);
  std::uint16_t admin = state ? port_in_state(*state, "gateway_admin", gateway_port, error) : 0;
  if (admin == 0)
    return fail(error);

  boost::asio::io_context io;
  ProbeResponse answer;
  boost::asio::co_spawn(io, probe_request(admin, "GET", "/status.json", "", kAnswerTimeout),
                        [&answer](std::exception_ptr, ProbeResponse r) { answer = std::move(r); });
  io.run();
  if (answer.status != 200) {
    return fail("the gateway of mysfits up on port " + std::to_string(gateway_port) +
                " did not answer on its admin port " + std::to_string(admin) +
                (answer.status == 0 ? "" : " (HTTP " + std::to_string(answer.status) + ")"));
  }
  boost::system::error_code ec;
  auto status = boost::json::parse(answer.body, ec);
  if (ec || !status.is_object())
    return fail("the gateway's /status.json is not a JSON object");

  const auto text = [&state](const char* key) {
    const boost::json::value* v = state->if_contains(key);
    return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
  };
  const std::string host = text("host");
  auto document = status_document(text("stage"), browser_url(host, gateway_port),
                                  browser_url(host, admin) + "/status", status.as_object());
  if (as_json)
    std::cout << boost::json::serialize(document) << '\n';
  else
    std::cout << render_status(document);
  return 0;
}

}  // namespace

void add_status_command(CLI::App& app) {
  struct Options {
    std::uint16_t port = 8080;
    bool json = false;
  };
  auto options = std::make_shared<Options>();
  auto* cmd = app.add_subcommand(
      "status",
      "Show a running `mysfits up` as the ALB console would: the stage, the listener's rules in "
      "priority order (conditions, action, weights) and every target group's targets with "
      "health, in-flight and request counts.");
  cmd->option_defaults()->always_capture_default();
  cmd->add_option("--port", options->port, "The running gateway's port (mysfits up --port)")
      ->check(CLI::Range(1, 65535));
  cmd->add_flag("--json", options->json,
                "One JSON object for scripts: the gateway's /status.json with stage, gateway and "
                "status_page added (docs/gateway.md)");
  cmd->callback([options] { set_exit_code(show_status(options->port, options->json)); });
}

}  // namespace mysfits::cli
