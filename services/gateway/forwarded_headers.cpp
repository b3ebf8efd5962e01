#include "services/gateway/forwarded_headers.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

#include "core/ascii.hpp"
#include "services/gateway/trace_id.hpp"

namespace mysfits::gateway {
namespace {

using core::iequals;

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    c = core::ascii_lower(c);
  return out;
}

// routing.http.drop_invalid_header_fields: names must match [-A-Za-z0-9]+.
bool valid_header_name(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-';
  });
}

// Tokens the client listed in Connection are hop-by-hop too (RFC 9110 7.6.1). connection: every
// Connection value, joined; most requests have none, so nothing is scanned for them.
bool listed_in_connection(const std::vector<std::string_view>& connection, std::string_view name) {
  for (auto value : connection) {
    for (std::size_t start = 0; start <= value.size();) {
      auto comma = value.find(',', start);
      if (comma == std::string_view::npos)
        comma = value.size();
      auto token = value.substr(start, comma - start);
      while (!token.empty() && token.front() == ' ')
        token.remove_prefix(1);
      while (!token.empty() && token.back() == ' ')
        token.remove_suffix(1);
      if (iequals(token, name))
        return true;
      start = comma + 1;
    }
  }
  return false;
}

// Arrays of string_view, not lists of string literals: those would be measured (strlen) on every
// call, and these run for every header of every proxied request and response.
constexpr std::array<std::string_view, 7> kReplacedByGateway = {
    "host",           "x-forwarded-for", "x-forwarded-proto", "x-forwarded-port", "x-amzn-trace-id",
    "content-length", "expect"};
constexpr std::array<std::string_view, 8> kHopByHop = {
    "connection", "keep-alive", "proxy-connection",  "te",
    "trailer",    "upgrade",    "transfer-encoding", "content-length"};

bool replaced_by_gateway(std::string_view name) {
  return std::any_of(kReplacedByGateway.begin(), kReplacedByGateway.end(),
                     [name](std::string_view n) { return iequals(name, n); });
}

std::string client_entry(const ForwardContext& context) {
  std::string ip(context.client_ip);
  if (!context.xff_client_port)
    return ip;
  if (ip.find(':') != std::string::npos)
    ip = "[" + ip + "]";
  return ip + ":" + std::to_string(context.client_port);
}

}  // namespace

bool is_hop_by_hop(std::string_view name) {
  return std::any_of(kHopByHop.begin(), kHopByHop.end(),
                     [name](std::string_view n) { return iequals(name, n); });
}

std::string joined_forwarded_for(const HeaderViews& headers) {
  std::string joined;
  for (const auto& [key, value] : headers) {
    if (!iequals(key, "x-forwarded-for") || value.empty())
      continue;
    if (!joined.empty())
      joined += ", ";
    joined.append(value);
  }
  return joined;
}

std::size_t count_forwarded_for(std::string_view value) {
  if (value.find_first_not_of(" \t") == std::string_view::npos)
    return 0;
  return static_cast<std::size_t>(std::count(value.begin(), value.end(), ',')) + 1;
}

std::string forwarded_host(std::string_view host, std::uint16_t listener_port) {
  std::string h = lower(host);
  // An IPv6 literal keeps its brackets; its port, if any, follows "]:".
  const auto close = h.rfind(']');
  const auto colon = h.rfind(':');
  const bool has_port = colon != std::string::npos && (close == std::string::npos || colon > close);
  if (listener_port == 80 || listener_port == 443) {
    if (has_port)
      h.resize(colon);
    return h;
  }
  if (!has_port)
    h += ":" + std::to_string(listener_port);
  return h;
}

HeaderList forwarded_headers(const HeaderViews& headers, const ForwardContext& context,
                             std::string trace_id) {
  HeaderList out;
  out.reserve(headers.size() + 5);
  std::string_view host;
  std::string_view trace;
  bool host_seen = false;
  std::size_t header_bytes = 0;
  std::vector<std::string_view> connection;
  for (const auto& [name, value] : headers) {
    if (iequals(name, "connection"))
      connection.push_back(value);
  }
  for (const auto& [name, value] : headers) {
    header_bytes += name.size() + value.size() + 4;
    if (iequals(name, "host") && !host_seen) {
      host = value;
      host_seen = true;
    } else if (iequals(name, "x-amzn-trace-id") && trace.empty()) {
      trace = value;
    }
    if (is_hop_by_hop(name) || replaced_by_gateway(name) ||
        (!connection.empty() && listed_in_connection(connection, name)))
      continue;
    if (context.drop_invalid_header_fields && !valid_header_name(name))
      continue;
    out.emplace_back(name, value);
  }

  if (context.preserve_host_header && host_seen)
    out.emplace_back("Host", host);
  else
    out.emplace_back(
        "Host", forwarded_host(host_seen ? host : context.default_host, context.listener_port));

  if (context.xff_mode == "append") {
    auto xff = joined_forwarded_for(headers);
    out.emplace_back("X-Forwarded-For",
                     xff.empty() ? client_entry(context) : xff + ", " + client_entry(context));
  } else if (context.xff_mode == "preserve") {
    auto xff = joined_forwarded_for(headers);
    if (!xff.empty())
      out.emplace_back("X-Forwarded-For", xff);
  }
  out.emplace_back("X-Forwarded-Proto", std::string(context.protocol));
  out.emplace_back("X-Forwarded-Port", std::to_string(context.listener_port));
  out.emplace_back(
      "X-Amzn-Trace-Id",
      forwarded_trace_header(trace, std::move(trace_id), header_bytes > kTraceHeaderRewriteLimit));
  return out;
}

}  // namespace mysfits::gateway
