#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"

namespace mysfits::core {

// Where a client connects. Parses "host", "host:port", "http://host[:port]" and
// "https://host[:port]" (a path, if any, is ignored); the default port follows the scheme.
struct Endpoint {
  std::string scheme = "http";
  std::string host;
  std::uint16_t port = 80;

  static Result<Endpoint> parse(std::string_view text);
  bool tls() const { return scheme == "https"; }
  std::string host_header() const;  // "host" or "host:port" when the port is not the default
  std::string to_string() const;    // "http://host:port"
};

struct ClientOptions {
  std::chrono::milliseconds connect_timeout{1'000};
  std::chrono::milliseconds request_timeout{5'000};  // whole exchange, per attempt
  // Retries happen only when the request surely was not processed (connection refused before
  // any byte was written), with jittered exponential backoff.
  int max_connect_retries = 2;
  std::chrono::milliseconds retry_backoff{20};
  std::size_t max_idle_per_thread = 64;   // idle keep-alive connections kept per thread
  std::size_t max_open_per_thread = 256;  // beyond this, requests wait for a free connection
  bool verify_tls = true;                 // certificate and host name, system CAs
};

struct ClientRequest {
  std::string method = "GET";
  std::string target = "/";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::chrono::milliseconds timeout{0};  // 0: options.request_timeout
};

struct ClientResponse {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  std::string_view header(std::string_view name) const;  // case-insensitive, first value
};

// Result errors: Errc::kBadGateway (refused, reset, unreachable, malformed response),
// Errc::kTimeout (connect or request deadline passed).
using ClientCallback = std::function<void(Result<ClientResponse>)>;

// HTTP/1.1 client with a keep-alive connection pool per thread (per current_io()), so a
// steady stream of requests opens no new connection and needs no locks. Never pipelines.
class HttpClient {
 public:
  HttpClient(Endpoint endpoint, ClientOptions options = {});
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Must be called on a thread that has current_io(); the callback runs on that thread, never
  // inside send() itself.
  void send(ClientRequest request, ClientCallback done);

  struct Stats {
    std::uint64_t connections_opened = 0;
    std::uint64_t open = 0;
    std::uint64_t idle = 0;
  };
  Stats stats() const;  // summed over threads

  const Endpoint& endpoint() const { return endpoint_; }

 private:
  struct Impl;
  Endpoint endpoint_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mysfits::core
