#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace mysfits::testing {

class Process;

struct HttpResult {
  bool ok = false;  // false: connection failed or no complete response; see error
  std::string error;
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names, last value wins
  std::string body;
  std::chrono::milliseconds elapsed{0};

  std::string header(const std::string& lower_name) const;
};

using Headers = std::vector<std::pair<std::string, std::string>>;

// One request on a fresh connection to 127.0.0.1:port (Connection: close).
HttpResult http(std::uint16_t port, const std::string& method, const std::string& target,
                const std::string& body = "", const Headers& headers = {},
                std::chrono::milliseconds timeout = std::chrono::seconds(5));

// Writes raw bytes, then reads until the peer closes or timeout passes; returns what was read.
// For malformed requests, smuggling attempts and pipelining.
std::string raw_exchange(std::uint16_t port, const std::string& bytes,
                         std::chrono::milliseconds timeout = std::chrono::seconds(5));

// Polls GET path until it answers 200 or the deadline passes. Returns early (false) when
// process is given and has exited.
bool wait_ready(std::uint16_t port, const std::string& path = "/readyz",
                std::chrono::milliseconds deadline = std::chrono::seconds(15),
                Process* process = nullptr);

// Polls until nothing accepts connections on the port, or the deadline passes.
bool wait_closed(std::uint16_t port, std::chrono::milliseconds deadline = std::chrono::seconds(10));

// Status of the first line of a raw HTTP response ("HTTP/1.1 400 Bad Request" -> 400), else 0.
int status_of(const std::string& raw_response);

}  // namespace mysfits::testing
