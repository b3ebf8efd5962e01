#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"
#include "core/unique_function.hpp"

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
  // Past it the peer counts as unreachable (Errc::kBadGateway): nothing was sent.
  std::chrono::milliseconds connect_timeout{1'000};
  // The whole request: waiting for a free connection, connecting, retries and the exchange.
  std::chrono::milliseconds request_timeout{5'000};
  // Retries happen only when the request surely was not processed (connection refused before
  // any byte was written), with jittered exponential backoff; rules in
  // docs/decisions/0007-http-client.md.
  int max_connect_retries = 2;
  std::chrono::milliseconds retry_backoff{20};
  std::size_t max_idle_per_thread = 64;   // idle keep-alive connections kept per thread
  std::size_t max_open_per_thread = 256;  // beyond this, requests wait for a free connection
  bool verify_tls = true;                 // certificate and host name, system CAs
  std::string extra_ca_file;              // PEM, trusted besides the system CAs (private CAs)
  // An idle pooled connection is closed after this long: well below the idle timeouts of the
  // servers we call (monolith 65 s, ALB 60 s), so we close first and rarely race their close.
  std::chrono::milliseconds idle_timeout{30'000};
  std::size_t max_response_body = 16 * 1024 * 1024;  // larger: Errc::kBadGateway
};

struct ClientRequest {
  std::string method = "GET";
  std::string target = "/";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::chrono::milliseconds timeout{0};  // 0: options.request_timeout
  // Whether the request may reach the server twice without harm. Unset: from the method (GET,
  // HEAD, PUT, DELETE, OPTIONS, TRACE are). A POST that only reads (a DynamoDB GetItem) may set
  // true; a like must not.
  std::optional<bool> idempotent;
};

struct ClientResponse {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  std::string_view header(std::string_view name) const;  // case-insensitive, first value
};

// Result errors: Errc::kBadGateway (refused, reset, unreachable, connect timeout, TLS
// verification failed, malformed response), Errc::kTimeout (the request deadline passed).
// Move-only, so a callback may own what it completes (a Responder); small ones allocate nothing.
using ClientCallback = UniqueFunction<void(Result<ClientResponse>)>;

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

  // Sends and waits, on a private io_context of this client (its own keep-alive pool), for
  // tools and start-up code. Never on a server thread: it blocks that thread's other requests.
  Result<ClientResponse> send_blocking(ClientRequest request);

  struct Stats {
    std::uint64_t connections_opened = 0;
    std::uint64_t open = 0;
    std::uint64_t idle = 0;
    std::uint64_t retries = 0;  // attempts after the first (see retry rules in http_client.cpp)
  };
  Stats stats() const;  // summed over threads

  const Endpoint& endpoint() const { return endpoint_; }

 private:
  struct Impl;
  Endpoint endpoint_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mysfits::core
