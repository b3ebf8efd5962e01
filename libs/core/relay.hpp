#pragma once

#include <string>

#include "core/http_client.hpp"
#include "core/router.hpp"

namespace mysfits::core {

// Hands a request on to an upstream and answers with the upstream's status, Content-Type and
// body unchanged. X-Request-Id (kept or made by our server) and X-Amzn-Trace-Id go along, so
// one request can be followed across services in the logs; so do the body and its type.
// When the upstream fails: 502 (unreachable, reset, garbage) or 504 (no answer before the
// client's deadline), each with a JSON error body naming upstream_name and the request id.
void relay(HttpClient& client, std::string upstream_name, const Request& incoming,
           std::string method, std::string target, Responder responder);

// The error response relay() gives for a failed upstream call; logged with the request id.
Response upstream_failure(const Error& error, const std::string& upstream_name,
                          const std::string& request_id);

}  // namespace mysfits::core
