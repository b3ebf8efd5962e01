#pragma once

#include <string>

#include "core/router.hpp"
#include "services/gateway/gateway_state.hpp"

namespace mysfits::gateway {

// The local equivalent of the console views: the serving listener's rules in priority order
// (conditions -> action), then every target group with its targets and their health.
// status_json's shape is documented in docs/gateway.md (mysfits status and migrate read it);
// status_html wears the website's look (status_html.cpp).
std::string status_json(const GatewayState& state);
std::string status_html(const GatewayState& state);

// GET /status (HTML, refreshing itself, under a strict Content Security Policy), its files under
// /status/, GET /status.json, and PUT /canary (the canary report `mysfits up` hands in), on the
// admin router.
void add_status_routes(core::Router& router, GatewayState& state);

}  // namespace mysfits::gateway
