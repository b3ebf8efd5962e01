#include "core/service_host.hpp"

#include <exception>
#include <iostream>

#include "core/logging.hpp"
#include "core/service_routes.hpp"

namespace mysfits::core {

ServerOptions ServiceHost::with_config(std::string name, const ServiceConfig& config,
                                       ServerOptions options) {
  options.service_name = std::move(name);
  options.threads = config.threads;
  options.drain_timeout = std::chrono::milliseconds(config.drain_timeout_ms);
  if (config.request_timeout_ms)
    options.limits.request_timeout = std::chrono::milliseconds(*config.request_timeout_ms);
  return options;
}

ServiceHost::ServiceHost(std::string name, const ServiceConfig& config, ServerOptions options)
    : name_(name),
      config_(config),
      options_(with_config(name, config, std::move(options))),
      metrics_(std::make_shared<Metrics>(name)),
      server_(options_, metrics_) {
  add_metrics_route(admin_router_, *metrics_);
}

int ServiceHost::run() {
  try {
    const std::uint16_t port = server_.listen(config_.host, config_.port, router_);
    std::uint16_t admin_port = 0;
    if (config_.admin_port != 0) {
      admin_port = server_.listen(config_.host, config_.admin_port, admin_router_,
                                  /*public_traffic=*/false);
    }
    log_info("listening", {{"port", port}, {"admin_port", admin_port}});
  } catch (const std::exception& e) {
    std::cerr << name_ << ": " << e.what() << '\n';
    return 1;
  }
  server_.run();
  log_info("stopped");
  return 0;
}

}  // namespace mysfits::core
