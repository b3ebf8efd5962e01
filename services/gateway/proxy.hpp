#pragma once

#include "core/router.hpp"
#include "services/gateway/forwarded_headers.hpp"
#include "services/gateway/gateway_state.hpp"

namespace mysfits::gateway {

// The data plane: every request on the public listener. Matches the current snapshot's listener
// rules, answers fixed-response and redirect actions itself, and forwards the rest to a target
// of the chosen target group over that target's keep-alive pool (one request per connection at
// a time, never pipelined). Failures map to the ALB's codes: no registered target 503, target
// refused/reset/malformed 502, target silent past the idle timeout or connect timeout 504.
class Proxy {
 public:
  explicit Proxy(GatewayState& state) : state_(state) {}

  void handle(const core::Request& request, core::Responder responder);

 private:
  void forward(const core::Request& request, const HeaderViews& headers, core::Responder responder,
               std::shared_ptr<const Snapshot> snapshot, const ingress::Forward& action);

  GatewayState& state_;
};

}  // namespace mysfits::gateway
