#include "core/response_head.hpp"

// clang-format off
#include <ostream>  // first: Boost 1.81's string_view header uses std::ostream, includes nothing
// clang-format on
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/status.hpp>
#include <charconv>

namespace mysfits::core::detail {
namespace {

using boost::beast::iequals;

void append_number(std::string& out, std::size_t n) {
  char digits[24];
  auto [end, ec] = std::to_chars(digits, digits + sizeof digits, n);
  out.append(digits, end);
}

void append_header(std::string& out, std::string_view name, std::string_view value) {
  out.append(name);
  out.append(": ");
  out.append(value);
  out.append("\r\n");
}

bool splits_lines(std::string_view s) {
  return s.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos;
}

bool no_body_status(int status) {
  return status == 204 || status == 304 || (status >= 100 && status < 200);
}

}  // namespace

bool sends_body(const Response& response, const HeadOptions& options) {
  return !options.head_request && !no_body_status(response.status);
}

void write_response_head(std::string& out, const Response& response, const HeadOptions& options) {
  namespace http = boost::beast::http;
  out.clear();
  out.append(options.version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ");
  append_number(out, static_cast<std::size_t>(response.status));
  out.push_back(' ');
  auto reason = http::obsolete_reason(http::int_to_status(static_cast<unsigned>(response.status)));
  if (reason != "<unknown-status>")
    out.append(reason.data(), reason.size());
  out.append("\r\n");

  const bool no_body = no_body_status(response.status);
  if (!response.content_type.empty() && response.status != 204 &&
      !splits_lines(response.content_type))
    append_header(out, "Content-Type", response.content_type);

  bool length_given = false;
  const bool cors = !options.cors_origin.empty();
  const bool request_id = !options.request_id.empty();
  for (const auto& [name, value] : response.headers) {
    if (name.empty() || splits_lines(name) || splits_lines(value))
      continue;
    if (iequals(name, "connection"))
      continue;
    if (iequals(name, "content-length") || iequals(name, "transfer-encoding")) {
      // Only a HEAD answer or a bodiless status may carry the length given by the handler.
      if (!options.head_request && !no_body)
        continue;
      length_given = length_given || iequals(name, "content-length");
    }
    if (cors && (iequals(name, "access-control-allow-origin") ||
                 iequals(name, "access-control-expose-headers")))
      continue;
    if (request_id && iequals(name, "x-request-id"))
      continue;
    append_header(out, name, value);
  }

  if (options.head_request ? !length_given : !no_body) {
    out.append("Content-Length: ");
    append_number(out, response.body.size());
    out.append("\r\n");
  }
  if (cors) {
    append_header(out, "Access-Control-Allow-Origin", options.cors_origin);
    out.append("Access-Control-Expose-Headers: X-Request-Id\r\n");
  }
  if (request_id)
    append_header(out, "X-Request-Id", options.request_id);
  if (options.version == 10) {
    if (options.keep_alive)
      out.append("Connection: keep-alive\r\n");
  } else if (!options.keep_alive) {
    out.append("Connection: close\r\n");
  }
  out.append("\r\n");
}

}  // namespace mysfits::core::detail
