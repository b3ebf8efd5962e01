#include "services/monolith/store_readiness.hpp"

#include <memory>

#include "core/logging.hpp"

namespace mysfits::monolith {

void watch_store_readiness(core::HttpServer& server, store::Store& store,
                           std::chrono::milliseconds interval) {
  enum class State { kUnknown, kReady, kFailing };
  // Only touched by the periodic task and the ping callbacks, which all run on worker 0.
  auto last = std::make_shared<State>(State::kUnknown);
  server.run_every(interval, [&server, &store, last] {
    store.ping([&server, last](core::Result<core::Unit> r) {
      server.set_ready(r.ok());
      State now = r.ok() ? State::kReady : State::kFailing;
      if (now == *last)
        return;
      *last = now;
      if (r.ok())
        core::log_info("store_ready");
      else
        core::log_error("store_not_ready", {{"error", r.error().message}});
    });
  });
}

}  // namespace mysfits::monolith
