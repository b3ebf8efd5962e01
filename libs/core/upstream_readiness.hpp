#pragma once

#include <chrono>
#include <string>

#include "core/http_client.hpp"
#include "core/http_server.hpp"

namespace mysfits::core {

// /readyz follows an upstream: every interval, in the background on worker 0 (never per
// request), GET path on the upstream; the server is ready while that answers 200 within
// min(interval, 1 s). One check at a time; transitions are logged once each.
void watch_upstream_readiness(HttpServer& server, HttpClient& client, std::string upstream_name,
                              std::string path, std::chrono::milliseconds interval);

}  // namespace mysfits::core
