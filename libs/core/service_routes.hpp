#pragma once

#include <string>

#include "core/http_server.hpp"
#include "core/metrics.hpp"
#include "core/router.hpp"

namespace mysfits::core {

// GET /healthz: 200 while the process serves. GET /readyz: 200 when server.ready(), else 503
// (starting, a dependency down, or draining). Both with {"status": ...} bodies.
void add_probe_routes(Router& router, const HttpServer& server);

// GET / : 200 {"message": message}, the ALB target group's default health-check path.
void add_root_route(Router& router, std::string message);

// GET /metrics in Prometheus text format (for the admin listener).
void add_metrics_route(Router& router, const Metrics& metrics);

}  // namespace mysfits::core
