#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <string>
#include <vector>

#include "cli/console.hpp"
#include "cli/stage_plan.hpp"
#include "cli/supervisor.hpp"
#include "cli/up_state.hpp"

namespace mysfits::cli {

// How long a started service may take to become ready, and a stopped one to drain and exit
// before it is killed: the same bounds `up` uses.
inline constexpr std::chrono::milliseconds kServiceReadyDeadline{30'000};
inline constexpr std::chrono::milliseconds kServiceStopGrace{10'000};

struct MigrationOutcome {
  int status = 200;  // HTTP status for the control endpoint: 200, 409 (refused), 500, 503
  std::string message;
  std::vector<std::string> started;
  std::vector<std::string> stopped;
  int gateway_generation = 0;
};

// The strangler step done live, as the ALB and the cluster do it during a rollout:
//   1. start what the new stage adds (its services, wired to the running monolith replicas)
//      and wait until each is ready;
//   2. rewrite the gateway's upstreams, re-point its Ingress link, SIGHUP it, and wait until it
//      reports the new configuration generation (a refused manifest rolls everything back);
//   3. stop what the new stage no longer routes to: the gateway no longer sends it requests
//      and drains those in flight, and each service finishes its own in-flight ones on SIGTERM.
// The monolith and the gateway keep running throughout, so no request finds nobody to answer.
// settings and plan are updated when the switch is complete. exec: services the new stage adds
// that run from the user's command instead of ours (`--exec`); by value, as the coroutine
// outlives its caller's arguments.
boost::asio::awaitable<MigrationOutcome> migrate_stage(Supervisor& supervisor, Console& console,
                                                       const UpLayout& layout, const UpFiles& files,
                                                       UpSettings& settings,
                                                       std::vector<ChildSpec>& plan, Stage to,
                                                       ExecOverrides exec = {});

// Points the gateway at stage's routes and children's targets (upstreams file, Ingress link,
// SIGHUP) and waits until it serves that configuration; the outcome carries its generation.
boost::asio::awaitable<MigrationOutcome> reload_gateway(Supervisor& supervisor,
                                                        const UpLayout& layout,
                                                        const UpFiles& files, Stage stage,
                                                        const std::vector<ChildSpec>& children);

// The same with any Ingress file and upstream list (a canary step's weighted manifest).
boost::asio::awaitable<MigrationOutcome> reload_gateway_with(
    Supervisor& supervisor, const UpFiles& files, const std::filesystem::path& ingress,
    const std::vector<std::string>& upstreams, const std::vector<ChildSpec>& children);

// The services stage `next` adds to the running plan, named and wired as `up` would have started
// them (replica i of a split-out service calls monolith replica i; next.exec honoured).
std::vector<ChildSpec> added_children(const UpSettings& next, const UpLayout& layout,
                                      const std::vector<ChildSpec>& plan);

// Starts added and waits until each is ready (names collects their names). Returns the name of
// the first that was not ready in time, after stopping them all; empty when all are.
boost::asio::awaitable<std::string> start_until_ready(Supervisor& supervisor, Console& console,
                                                      const std::vector<ChildSpec>& added,
                                                      std::vector<std::string>& names);

// The running plan once stage `to` serves: what it keeps, plus added (before the gateway, in
// `up`'s start order); what it drops goes to removed.
std::vector<ChildSpec> plan_after(const std::vector<ChildSpec>& plan,
                                  const std::vector<ChildSpec>& added, Stage to,
                                  std::vector<std::string>& removed);

// Waits as long as the ALB's deregistration delay does before a removed target is stopped.
boost::asio::awaitable<void> deregistration_delay();

}  // namespace mysfits::cli
