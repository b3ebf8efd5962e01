#pragma once

#include <cstdint>
#include <ctime>
#include <string>
#include <string_view>

namespace mysfits::gateway {

// "1-XXXXXXXX-YYYYYYYYYYYYYYYYYYYYYYYY": version 1, the request time as 8 hex digits of Unix
// seconds, then 96 random bits as 24 hex digits, lower case as in the ALB's examples.
std::string make_trace_id(std::time_t now, std::uint64_t random_high, std::uint32_t random_low);
std::string make_trace_id();  // now, from a per-thread generator

// The X-Amzn-Trace-Id value the ALB forwards (AWS's request tracing docs), given what the
// client sent (empty when absent) and a fresh id:
//  - absent                    -> "Root=<id>"
//  - has Self                  -> Self's value replaced, everything else kept in place
//  - has Root, no Self         -> "Self=<id>;" in front of the client's fields
//  - neither (unconfirmed)     -> "Root=<id>;" in front of the client's fields (decision:
//                                 docs/decisions/0004-gateway-data-plane.md)
// headers_over_limit: the request's headers exceed 7 KB, so the ALB sends only "Root=<id>".
// new_id is taken by value: for the common "Root=<id>" it becomes the answer in place.
std::string forwarded_trace_header(std::string_view incoming, std::string new_id,
                                   bool headers_over_limit);

// Above this many bytes of request headers the ALB rewrites the trace header to a bare Root.
constexpr std::size_t kTraceHeaderRewriteLimit = 7 * 1000;

}  // namespace mysfits::gateway
