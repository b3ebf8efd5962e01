#include "cli/rolling_restart.hpp"

#include <boost/asio/this_coro.hpp>

namespace mysfits::cli {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

std::string slot_of(const ChildSpec& child) {
  auto dash = child.name.rfind('-');
  return dash == std::string::npos ? std::string() : child.name.substr(dash + 1);
}

}  // namespace

boost::asio::awaitable<MigrationOutcome> rolling_restart(Supervisor& supervisor, Console& console,
                                                         const UpLayout& layout,
                                                         const UpFiles& files,
                                                         const UpSettings& settings,
                                                         const std::vector<ChildSpec>& plan) {
  MigrationOutcome out;
  if (settings.replicas < 2) {
    out.status = 409;
    out.message =
        "a rolling restart keeps other replicas serving: run mysfits up with --replicas 2 or more";
    co_return out;
  }
  for (int slot = 1; slot <= settings.replicas; ++slot) {
    const std::string id = std::to_string(slot);
    std::vector<ChildSpec> others;
    std::vector<ChildSpec> restarting;
    for (const auto& child : plan) {
      if (child.role != kGatewayRole && slot_of(child) == id)
        restarting.push_back(child);
      else
        others.push_back(child);
    }
    console.event("rolling restart: replica slot " + id);
    auto away = co_await reload_gateway(supervisor, layout, files, settings.stage, others);
    if (away.status != 200)
      co_return away;
    co_await deregistration_delay();
    // Callers first, so nothing calls a monolith replica that is already gone.
    std::vector<std::string> callers;
    std::vector<std::string> monoliths;
    for (const auto& child : restarting)
      (child.role == "monolith" ? monoliths : callers).push_back(child.name);
    co_await supervisor.stop(callers, kServiceStopGrace);
    co_await supervisor.stop(monoliths, kServiceStopGrace);
    // Then the other way round: the monolith is ready before what calls it starts.
    auto deadline = Clock::now() + kServiceReadyDeadline;
    for (bool monolith_pass : {true, false}) {
      for (const auto& child : restarting)
        if ((child.role == "monolith") == monolith_pass)
          supervisor.start(child);
      for (const auto& child : restarting) {
        if ((child.role == "monolith") != monolith_pass)
          continue;
        if (!co_await supervisor.wait_ready(child.name, deadline)) {
          out.status = 503;
          out.message =
              child.name + " did not become ready again; slot " + id + " stays out of the gateway";
          co_return out;
        }
        out.started.push_back(child.name);
      }
    }
    auto back = co_await reload_gateway(supervisor, layout, files, settings.stage, plan);
    if (back.status != 200)
      co_return back;
    out.gateway_generation = back.gateway_generation;
  }
  out.stopped = out.started;
  out.message = "every service restarted, one replica slot at a time";
  console.event(out.message);
  co_return out;
}

}  // namespace mysfits::cli
