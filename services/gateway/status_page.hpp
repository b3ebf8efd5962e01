#pragma once

#include <string>

#include "core/router.hpp"
#include "services/gateway/gateway_state.hpp"

namespace mysfits::gateway {

// The local equivalent of the console views: the serving listener's rules in priority order
// (conditions -> action), then every target group with its targets and their health.
std::string status_json(const GatewayState& state);
std::string status_html(const GatewayState& state);

// GET /status (HTML) and GET /status.json on the admin router.
void add_status_routes(core::Router& router, const GatewayState& state);

}  // namespace mysfits::gateway
