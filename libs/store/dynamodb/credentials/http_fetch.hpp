#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "core/http_client.hpp"
#include "core/result.hpp"

namespace mysfits::store::dynamodb::credentials {

struct Url {
  core::Endpoint endpoint;
  std::string target = "/";  // path and query
};

// "http[s]://host[:port][/path[?query]]"; a scheme is required.
core::Result<Url> parse_url(std::string_view text);

// Sends request and completes with the body of a 2xx answer; any other status, or a transport
// failure, becomes an error whose message names what was asked (what) and what came back.
void fetch(core::HttpClient& client, core::ClientRequest request, std::string what,
           std::function<void(core::Result<std::string>)> done);

}  // namespace mysfits::store::dynamodb::credentials
