#pragma once

#include <boost/asio/awaitable.hpp>
#include <functional>
#include <string>
#include <vector>

#include "cli/canary_spec.hpp"
#include "cli/stage_migration.hpp"

namespace mysfits::cli {

// A canary under way, shared between the coroutine that runs it and `up`'s control endpoint
// (both on up's io_context, so no lock): the report as it stands, and whether someone asked to
// abort (POST /canary/abort, or Ctrl-C in `mysfits migrate`).
struct CanaryControl {
  CanaryReport report;
  bool abort_requested = false;
  // `up` itself is stopping (and stops every child): the canary ends without putting anything
  // back.
  bool stopping = false;
  // Called whenever the report changes (GET /canary shows it).
  std::function<void(const CanaryReport&)> on_report;
  // Called once everything is in its final place, just before the report says finished: a
  // command that sees it finished may start the next migration at once.
  std::function<void()> on_done;
};

// The strangler step in weighted steps, as Argo Rollouts drives an ALB:
//   1. refuse unless the new stage only adds services (a canary sends part of some routes to a
//      new service; taking services away is a plain switch);
//   2. start what it adds and wait until each is ready;
//   3. for each weight: route the new stage's moved paths by an ALB weighted forward (weight % to
//      the new service, the rest to the Service that answered them before), reload the gateway,
//      hold the weight for spec.step and judge the new target groups' traffic in that window
//      (an inconclusive window is held again, at most kMaxExtraWindows times);
//   4. on a breach, an abort or a failed reload: the old stage's routes at once, the new
//      services drained and stopped; else the new stage's own manifest, as `migrate` leaves it.
// The outcome's status is 200 when the canary succeeded; control.report says why not otherwise.
// settings and plan are updated on success. spec is taken by value: the coroutine outlives the
// request that asked for it.
boost::asio::awaitable<MigrationOutcome> canary_migrate(Supervisor& supervisor, Console& console,
                                                        const UpLayout& layout,
                                                        const UpFiles& files, UpSettings& settings,
                                                        std::vector<ChildSpec>& plan,
                                                        CanarySpec spec, CanaryControl& control);

// Why a canary from `from` to `to` cannot run, or empty when it can.
std::string canary_refusal(Stage from, Stage to);

}  // namespace mysfits::cli
