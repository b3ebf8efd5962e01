#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/http_message.hpp"
#include "ingress/rule.hpp"

namespace mysfits::gateway {

// Responses the load balancer makes itself. They carry "Server: awselb/2.0", the one header
// known for certain on ALB-generated answers (docs/decisions/0004-gateway-data-plane.md).
core::Response fixed_response(const ingress::FixedResponse& action);

// An error page in the ALB's style ("502 Bad Gateway" as an HTML title and heading). The exact
// ALB bodies are unconfirmed; tools should rely on the status code only.
core::Response alb_error(int status);

struct RedirectRequest {
  std::string_view protocol = "http";
  std::string_view host;  // Host header without the port
  std::uint16_t port = 80;
  std::string_view path;   // with its leading '/'
  std::string_view query;  // without '?'
};

// The Location of a redirect action: omitted parts keep the request's values, and "#{protocol}",
// "#{host}", "#{port}", "#{path}" (no leading '/'), "#{query}" are replaced in the given ones.
// The port is left out when it is the protocol's default.
std::string redirect_location(const ingress::Redirect& redirect, const RedirectRequest& request);
core::Response redirect_response(const ingress::Redirect& redirect, const RedirectRequest& request);

}  // namespace mysfits::gateway
