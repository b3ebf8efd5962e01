#include "core/response_head.hpp"

// clang-format off
#include <ostream>  // first: Boost 1.81's string_view header uses std::ostream, includes nothing
// clang-format on
#include <boost/beast/http/status.hpp>

#include "core/ascii.hpp"
#include "core/head_text.hpp"

namespace mysfits::core::detail {
namespace {

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
  append_decimal(out, static_cast<std::size_t>(response.status));
  out.push_back(' ');
  auto reason = http::obsolete_reason(http::int_to_status(static_cast<unsigned>(response.status)));
  if (reason != "<unknown-status>")
    out.append(reason.data(), reason.size());
  out.append("\r\n");

  const bool no_body = no_body_status(response.status);
  if (!response.content_type.empty() && response.status != 204 &&
      !breaks_the_line(response.content_type))
    append_field(out, "Content-Type", response.content_type);

  bool length_given = false;
  const bool cors = !options.cors_origin.empty();
  const bool request_id = !options.request_id.empty();
  for (const auto& [name, value] : response.headers) {
    if (name.empty() || breaks_the_line(name) || breaks_the_line(value))
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
    append_field(out, name, value);
  }

  if (options.head_request ? !length_given : !no_body) {
    out.append("Content-Length: ");
    append_decimal(out, response.body.size());
    out.append("\r\n");
  }
  if (cors) {
    append_field(out, "Access-Control-Allow-Origin", options.cors_origin);
    out.append("Access-Control-Expose-Headers: X-Request-Id\r\n");
  }
  if (request_id)
    append_field(out, "X-Request-Id", options.request_id);
  if (options.version == 10) {
    if (options.keep_alive)
      out.append("Connection: keep-alive\r\n");
  } else if (!options.keep_alive) {
    out.append("Connection: close\r\n");
  }
  out.append("\r\n");
}

}  // namespace mysfits::core::detail
