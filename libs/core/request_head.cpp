#include "core/request_head.hpp"

#include <algorithm>
#include <charconv>

#include "core/ascii.hpp"

namespace mysfits::core::detail {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
    s.remove_suffix(1);
  }
  return s;
}

// Whether a comma-separated list such as a Connection value holds token.
bool has_token(std::string_view list, std::string_view token) {
  while (!list.empty()) {
    const auto comma = list.find(',');
    if (iequals(trim(list.substr(0, comma)), token)) {
      return true;
    }
    if (comma == std::string_view::npos) {
      break;
    }
    list.remove_prefix(comma + 1);
  }
  return false;
}

// A field that would end the line early or smuggle another header in; never written, as the
// server never writes one in a response.
bool breaks_the_line(std::string_view text) {
  // A plain loop: find_first_of calls memchr on the three-byte set once per character.
  return std::any_of(text.begin(), text.end(),
                     [](char c) { return c == '\r' || c == '\n' || c == '\0'; });
}

// Methods whose requests carry a Content-Length even when the body is empty; case-sensitive, as
// methods are.
bool frames_empty_body(std::string_view method) {
  return method == "POST" || method == "PUT" || method == "OPTIONS";
}

void append_field(std::string& out, std::string_view name, std::string_view value) {
  out.append(name);
  out.append(": ");
  out.append(value);
  out.append("\r\n");
}

}  // namespace

bool write_request_head(std::string& out, const ClientRequest& request,
                        std::string_view default_host) {
  const auto& headers = request.headers;
  std::size_t host = headers.size();
  std::size_t size = request.method.size() + request.target.size() + default_host.size() + 64;
  for (std::size_t i = 0; i < headers.size(); ++i) {
    size += headers[i].first.size() + headers[i].second.size() + 4;
    if (iequals(headers[i].first, "host") && !breaks_the_line(headers[i].second)) {
      host = i;
    }
  }
  out.clear();
  out.reserve(size);
  out.append(request.method);
  out.push_back(' ');
  out.append(request.target);
  out.append(" HTTP/1.1\r\n");
  if (host == headers.size()) {
    append_field(out, "Host", default_host);
  }
  bool keep_alive = true;
  for (std::size_t i = 0; i < headers.size(); ++i) {
    const auto& [name, raw_value] = headers[i];
    if ((i != host && iequals(name, "host")) || iequals(name, "content-length") ||
        iequals(name, "transfer-encoding")) {
      continue;
    }
    const auto value = trim(raw_value);
    if (breaks_the_line(name) || breaks_the_line(value)) {
      continue;
    }
    if (iequals(name, "connection") && has_token(value, "close")) {
      keep_alive = false;
    }
    append_field(out, name, value);
  }
  if (!request.body.empty() || frames_empty_body(request.method)) {
    char digits[24];
    const auto end = std::to_chars(digits, digits + sizeof digits, request.body.size()).ptr;
    append_field(out, "Content-Length", std::string_view(digits, end - digits));
  }
  out.append("\r\n");
  return keep_alive;
}

}  // namespace mysfits::core::detail
