#include "services/gateway/upstreams.hpp"

#include <charconv>
#include <fstream>
#include <sstream>

namespace mysfits::gateway {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

core::Error bad(std::string message) {
  return core::Error{core::Errc::kBadRequest, std::move(message)};
}

bool valid_port(std::string_view text) {
  int port = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), port);
  return ec == std::errc() && end == text.data() + text.size() && port >= 1 && port <= 65535;
}

// host:port with a numeric port; an IPv6 literal must be bracketed ("[::1]:9000").
bool valid_address(std::string_view addr) {
  auto colon = addr.rfind(':');
  if (colon == std::string_view::npos || colon == 0)
    return false;
  auto host = addr.substr(0, colon);
  if (host.front() == '[' && host.back() != ']')
    return false;
  return valid_port(addr.substr(colon + 1));
}

}  // namespace

core::Result<core::Unit> parse_upstream(std::string_view spec, UpstreamMap& out) {
  const std::string text(spec);
  auto eq = spec.find('=');
  if (eq == std::string_view::npos)
    return bad("upstream '" + text + "': expected SERVICE:PORT=ADDR[,ADDR...]");
  auto key = trim(spec.substr(0, eq));
  auto colon = key.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == key.size())
    return bad("upstream '" + text + "': '" + std::string(key) + "' is not SERVICE:PORT");
  std::vector<std::string> addresses;
  auto rest = spec.substr(eq + 1);
  for (std::size_t start = 0; start < rest.size();) {
    auto comma = rest.find(',', start);
    if (comma == std::string_view::npos)
      comma = rest.size();
    auto addr = trim(rest.substr(start, comma - start));
    if (!addr.empty()) {
      if (!valid_address(addr))
        return bad("upstream '" + text + "': '" + std::string(addr) +
                   "' is not HOST:PORT with a port 1-65535");
      addresses.emplace_back(addr);
    }
    start = comma + 1;
  }
  out[std::string(key)] = std::move(addresses);
  return core::Unit{};
}

core::Result<UpstreamMap> parse_upstreams_text(std::string_view text, const std::string& source) {
  UpstreamMap map;
  std::size_t line_number = 0;
  for (std::size_t start = 0; start < text.size();) {
    auto end = text.find('\n', start);
    if (end == std::string_view::npos)
      end = text.size();
    ++line_number;
    auto line = trim(text.substr(start, end - start));
    start = end + 1;
    if (line.empty() || line.front() == '#')
      continue;
    auto parsed = parse_upstream(line, map);
    if (!parsed)
      return bad(source + ":" + std::to_string(line_number) + ": " + parsed.error().message);
  }
  return map;
}

core::Result<UpstreamMap> read_upstreams_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return bad(path + ": cannot read the upstreams file");
  std::ostringstream text;
  text << in.rdbuf();
  return parse_upstreams_text(text.str(), path);
}

UpstreamMap merge_upstreams(const UpstreamMap& flags, const UpstreamMap& file) {
  UpstreamMap merged = flags;
  for (const auto& [key, addresses] : file)
    merged[key] = addresses;
  return merged;
}

}  // namespace mysfits::gateway
