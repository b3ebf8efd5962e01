#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace mysfits::gateway {

// Kubernetes "service:port" -> the local endpoints standing in for its pods ("127.0.0.1:9002").
// An empty list is allowed: that target group has no registered targets (the ALB answers 503).
using UpstreamMap = std::map<std::string, std::vector<std::string>>;

// "SERVICE:PORT=ADDR[,ADDR...]" (ADDR is host:port); "SERVICE:PORT=" registers no target.
core::Result<core::Unit> parse_upstream(std::string_view spec, UpstreamMap& out);

// The same syntax, one per line; blank lines and lines starting with '#' are skipped. Errors
// name the file and line. A later line for the same service:port replaces the earlier one.
core::Result<UpstreamMap> parse_upstreams_text(std::string_view text, const std::string& source);
core::Result<UpstreamMap> read_upstreams_file(const std::string& path);

// Flags first, then the file: the file may change at runtime (`mysfits up` rewrites it before a
// SIGHUP), so for a service:port named in both, the file wins.
UpstreamMap merge_upstreams(const UpstreamMap& flags, const UpstreamMap& file);

}  // namespace mysfits::gateway
