#include "core/upstream_readiness.hpp"

#include <algorithm>
#include <memory>

#include "core/logging.hpp"

namespace mysfits::core {

void watch_upstream_readiness(HttpServer& server, HttpClient& client, std::string upstream_name,
                              std::string path, std::chrono::milliseconds interval) {
  struct State {
    std::string upstream;
    std::string path;
    std::chrono::milliseconds timeout;
    bool checking = false;
    int last = -1;  // -1 unknown, 0 failing, 1 ready
  };
  // Only touched by the periodic task and the client's callbacks, which all run on worker 0.
  auto state = std::make_shared<State>(State{std::move(upstream_name), std::move(path),
                                             std::min(interval, std::chrono::milliseconds(1'000)),
                                             false, -1});
  server.run_every(interval, [&server, &client, state] {
    if (state->checking) {
      return;
    }
    state->checking = true;
    ClientRequest request;
    request.target = state->path;
    request.timeout = state->timeout;
    client.send(std::move(request), [&server, state](Result<ClientResponse> result) {
      state->checking = false;
      const bool ready = result.ok() && result->status == 200;
      server.set_ready(ready);
      if (static_cast<int>(ready) == state->last) {
        return;
      }
      state->last = ready ? 1 : 0;
      if (ready) {
        log_info("upstream_ready", {{"upstream", state->upstream}});
      } else {
        log_warn("upstream_not_ready",
                 {{"upstream", state->upstream},
                  {"error", result.ok() ? "status " + std::to_string(result->status)
                                        : result.error().message}});
      }
    });
  });
}

}  // namespace mysfits::core
