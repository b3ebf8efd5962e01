#include "core/request_head.hpp"

#include "core/ascii.hpp"
#include "core/head_text.hpp"

namespace mysfits::core::detail {
namespace {

// Whether a comma-separated list such as a Connection value holds token.
bool has_token(std::string_view list, std::string_view token) {
  while (!list.empty()) {
    const auto comma = list.find(',');
    if (iequals(trim_ows(list.substr(0, comma)), token)) {
      return true;
    }
    if (comma == std::string_view::npos) {
      break;
    }
    list.remove_prefix(comma + 1);
  }
  return false;
}

// Methods whose requests carry a Content-Length even when the body is empty; case-sensitive, as
// methods are.
bool frames_empty_body(std::string_view method) {
  return method == "POST" || method == "PUT" || method == "OPTIONS";
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
    const auto value = trim_ows(raw_value);
    if (breaks_the_line(name) || breaks_the_line(value)) {
      continue;
    }
    if (iequals(name, "connection") && has_token(value, "close")) {
      keep_alive = false;
    }
    append_field(out, name, value);
  }
  if (!request.body.empty() || frames_empty_body(request.method)) {
    out.append("Content-Length: ");
    append_decimal(out, request.body.size());
    out.append("\r\n");
  }
  out.append("\r\n");
  return keep_alive;
}

}  // namespace mysfits::core::detail
