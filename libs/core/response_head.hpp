#pragma once

// Internal to the core library: the status line and header block of a response, written by
// hand into a reused buffer. Beast's serializer walks a variant of buffer sequences per header
// and showed up as the largest user-space cost of a small response; this writes the same bytes
// with a few appends, and the session sends {head, body} with one gather write.

#include <string>
#include <string_view>

#include "core/http_message.hpp"

namespace mysfits::core::detail {

struct HeadOptions {
  unsigned version = 11;         // 10 or 11, from the request
  bool head_request = false;     // HEAD: Content-Length of the body a GET would get, no body
  bool keep_alive = true;        // false: "Connection: close" (HTTP/1.1)
  std::string_view cors_origin;  // non-empty: Access-Control-Allow-Origin + Expose-Headers
  std::string_view request_id;   // non-empty: X-Request-Id
};

// Appends the head of `response` to `out` (cleared first), ending with the empty line.
// Framing is ours alone: a handler's Connection header is dropped, and so are its
// Content-Length and Transfer-Encoding except on HEAD (a proxy relays the GET's length) and on
// 204/304, which carry no body. Headers the server sets itself (CORS, X-Request-Id) replace a
// handler's. A header whose name or value holds CR, LF or NUL is dropped: it would split the
// response.
void write_response_head(std::string& out, const Response& response, const HeadOptions& options);

// True when the response carries body bytes on the wire.
bool sends_body(const Response& response, const HeadOptions& options);

}  // namespace mysfits::core::detail
