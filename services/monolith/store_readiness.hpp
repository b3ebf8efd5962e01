#pragma once

#include <chrono>

#include "core/http_server.hpp"
#include "store/store.hpp"

namespace mysfits::monolith {

// /readyz follows the store: the server turns ready once the store answers a ping, and a
// background check (never one per request) turns it back to 503 while the store fails, e.g.
// DynamoDB unreachable or the SQLite file gone. Transitions are logged once each.
void watch_store_readiness(core::HttpServer& server, store::Store& store,
                           std::chrono::milliseconds interval);

}  // namespace mysfits::monolith
