#pragma once

#include <memory>
#include <string>

#include "core/config.hpp"
#include "core/http_server.hpp"
#include "core/metrics.hpp"
#include "core/router.hpp"

namespace mysfits::core {

// The wiring every server executable shares between reading its Config and serving, so each
// main.cpp only adds what is its own: the server options the ServiceConfig sets (threads,
// drain and request timeouts), the metrics, a public router and an admin router (with
// /metrics) on ADMIN_PORT, both listeners bound and logged, and one way to fail when a port
// cannot be bound.
class ServiceHost {
 public:
  // `options` holds what differs per executable (limits, CORS, request ids, and the request
  // timeout to use when REQUEST_TIMEOUT_MS / --request-timeout-ms is not given).
  ServiceHost(std::string name, const ServiceConfig& config, ServerOptions options);
  ServiceHost(const ServiceHost&) = delete;
  ServiceHost& operator=(const ServiceHost&) = delete;

  HttpServer& server() { return server_; }
  Metrics& metrics() { return *metrics_; }
  Router& router() { return router_; }
  Router& admin_router() { return admin_router_; }
  // The request timeout in force: the flag's when given, else the executable's default.
  std::chrono::milliseconds request_timeout() const { return options_.limits.request_timeout; }

  // Binds the public listener (and the admin one when ADMIN_PORT is set), then serves until
  // SIGTERM or SIGINT has drained it. A port that cannot be bound is one line on stderr and
  // exit code 1. Returns the process's exit code.
  int run();

 private:
  static ServerOptions with_config(std::string name, const ServiceConfig& config,
                                   ServerOptions options);

  std::string name_;
  ServiceConfig config_;
  ServerOptions options_;
  std::shared_ptr<Metrics> metrics_;
  HttpServer server_;
  Router router_;
  Router admin_router_;
};

}  // namespace mysfits::core
