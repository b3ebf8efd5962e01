#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <string>

namespace mysfits::cli {

// One GET on a fresh loopback connection; the response's status code, or 0 when nothing
// answered in time (refused, reset, silent, or not HTTP). Used to poll /readyz while children
// start, so it never throws and never outlives timeout.
boost::asio::awaitable<int> probe_status(std::uint16_t port, std::string target,
                                         std::chrono::milliseconds timeout);

struct ProbeResponse {
  int status = 0;  // 0: nothing (complete) answered in time
  std::string body;
};

// One request with a small body on a fresh loopback connection (Connection: close), reading
// the whole answer (at most 1 MiB). Never throws, never outlives timeout.
boost::asio::awaitable<ProbeResponse> probe_request(std::uint16_t port, std::string method,
                                                    std::string target, std::string body,
                                                    std::chrono::milliseconds timeout);

// Parses "HTTP/1.1 200 OK..." into 200; 0 when the text is not a status line.
int parse_status_line(std::string_view head);

}  // namespace mysfits::cli
