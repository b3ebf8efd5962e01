#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mysfits::gateway {

using HeaderList = std::vector<std::pair<std::string, std::string>>;
using HeaderViews = std::vector<std::pair<std::string_view, std::string_view>>;

// What the listener knows about one client connection, plus the load-balancer attributes that
// change the forwarded headers (docs/gateway.md lists them).
struct ForwardContext {
  std::string_view client_ip;
  std::uint16_t client_port = 0;
  std::uint16_t listener_port = 80;
  std::string_view protocol = "http";
  std::string_view xff_mode = "append";  // append | preserve | remove
  bool xff_client_port = false;
  bool preserve_host_header = false;
  bool drop_invalid_header_fields = false;
  std::string_view default_host = "localhost";  // for HTTP/1.0 requests without Host
};

// The ALB refuses a request whose X-Forwarded-For already lists more than this many addresses.
constexpr std::size_t kMaxForwardedForAddresses = 30;

// Every X-Forwarded-For header joined with ", " (empty when there is none).
std::string joined_forwarded_for(const HeaderViews& headers);
std::size_t count_forwarded_for(std::string_view value);

// The headers sent to the target: the client's end-to-end headers in order (hop-by-hop ones,
// Content-Length and Expect removed: the connection to the target is ours), then Host,
// X-Forwarded-For/-Proto/-Port and X-Amzn-Trace-Id as the ALB writes them. The client's own
// X-Forwarded-Proto/-Port are overwritten, never trusted (decision: docs/decisions).
HeaderList forwarded_headers(const HeaderViews& headers, const ForwardContext& context,
                             std::string trace_id);

// The Host header the ALB forwards: lower-cased; on ports 80/443 any port is stripped, on other
// ports ":<listener port>" is added when missing.
std::string forwarded_host(std::string_view host, std::uint16_t listener_port);

// Response headers a proxy must not relay (hop-by-hop, and the framing it recomputes).
bool is_hop_by_hop(std::string_view name);

}  // namespace mysfits::gateway
