// Endpoint (declared in http_client.hpp): where a client connects, parsed from what operators
// write in MONOLITH_URL or AWS_ENDPOINT_URL.
#include <cctype>
#include <charconv>

#include "core/http_client.hpp"

namespace mysfits::core {
namespace {

bool valid_host(std::string_view host, bool bracketed) {
  if (host.empty() || host.size() > 253) {
    return false;
  }
  for (char c : host) {
    const auto u = static_cast<unsigned char>(c);
    const bool ok = bracketed ? (std::isxdigit(u) != 0 || c == ':' || c == '.')
                              : (std::isalnum(u) != 0 || c == '.' || c == '-' || c == '_');
    if (!ok) {
      return false;
    }
  }
  return true;
}

std::uint16_t default_port(std::string_view scheme) {
  return scheme == "https" ? 443 : 80;
}

}  // namespace

Result<Endpoint> Endpoint::parse(std::string_view text) {
  auto invalid = [&](std::string_view why) {
    return Error{Errc::kBadRequest,
                 "invalid URL \"" + std::string(text) + "\": " + std::string(why)};
  };
  Endpoint endpoint;
  std::string_view rest = text;
  if (const auto sep = rest.find("://"); sep != std::string_view::npos) {
    std::string scheme(rest.substr(0, sep));
    for (char& c : scheme) {
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    if (scheme != "http" && scheme != "https") {
      return invalid("the scheme must be http or https");
    }
    endpoint.scheme = scheme;
    rest.remove_prefix(sep + 3);
  }
  endpoint.port = default_port(endpoint.scheme);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (rest.find('@') != std::string_view::npos) {
    return invalid("credentials in the URL are not supported");
  }

  std::string_view host = rest;
  std::string_view port;
  bool bracketed = false;
  if (!rest.empty() && rest.front() == '[') {
    const auto close = rest.find(']');
    if (close == std::string_view::npos) {
      return invalid("unterminated [IPv6] address");
    }
    host = rest.substr(1, close - 1);
    bracketed = true;
    const auto after = rest.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') {
        return invalid("unexpected text after the address");
      }
      port = after.substr(1);
      if (port.empty()) {
        return invalid("empty port");
      }
    }
  } else if (const auto colon = rest.find(':'); colon != std::string_view::npos) {
    host = rest.substr(0, colon);
    port = rest.substr(colon + 1);
    if (port.empty()) {
      return invalid("empty port");
    }
  }
  if (!valid_host(host, bracketed)) {
    return invalid(host.empty() ? "no host" : "bad host name");
  }
  endpoint.host = std::string(host);
  if (!port.empty()) {
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc{} || end != port.data() + port.size() || value == 0 || value > 65535) {
      return invalid("the port must be a number from 1 to 65535");
    }
    endpoint.port = static_cast<std::uint16_t>(value);
  }
  return endpoint;
}

std::string Endpoint::host_header() const {
  std::string out = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  if (port != default_port(scheme)) {
    out += ":" + std::to_string(port);
  }
  return out;
}

std::string Endpoint::to_string() const {
  const std::string name = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  return scheme + "://" + name + ":" + std::to_string(port);
}

}  // namespace mysfits::core
