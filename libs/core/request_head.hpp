#pragma once

// Internal to the HTTP client: the request head as it goes on the wire, written into a buffer the
// connection reuses, so sending a request costs no allocation once the buffer has grown.

#include <string>
#include <string_view>

#include "core/http_client.hpp"

namespace mysfits::core::detail {

// Replaces out with "METHOD target HTTP/1.1", Host, the caller's headers in order, the framing and
// the blank line; the body follows it unchanged. Host is the caller's own (the last one given)
// or default_host. The body is always framed by Content-Length, so the caller's Content-Length
// and Transfer-Encoding are dropped; Content-Length is sent when there is a body and for POST,
// PUT and OPTIONS even without one (a server may insist on it for those). Values are trimmed of
// surrounding spaces and tabs; a field holding CR, LF or NUL is left out. Returns whether the
// connection may be kept afterwards (no "Connection: close" among the caller's headers).
bool write_request_head(std::string& out, const ClientRequest& request,
                        std::string_view default_host);

}  // namespace mysfits::core::detail
