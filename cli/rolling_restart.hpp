#pragma once

#include <boost/asio/awaitable.hpp>
#include <vector>

#include "cli/console.hpp"
#include "cli/stage_migration.hpp"

namespace mysfits::cli {

// Restarts every service behind the gateway, one replica slot at a time, as a Deployment's
// rolling update does with maxUnavailable 1: slot i is monolith-i with the like-i and adopt-i
// wired to it. For each slot: the gateway stops routing to it (reload, then the deregistration
// delay), its processes drain and stop, start again on their ports, and are routed to once
// ready. The other slots serve meanwhile, so it needs --replicas 2 or more (409 otherwise).
// The gateway itself is the "ALB" and keeps running.
boost::asio::awaitable<MigrationOutcome> rolling_restart(Supervisor& supervisor, Console& console,
                                                         const UpLayout& layout,
                                                         const UpFiles& files,
                                                         const UpSettings& settings,
                                                         const std::vector<ChildSpec>& plan);

}  // namespace mysfits::cli
