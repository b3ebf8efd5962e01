// mysfits-monolith: every API route of the contract over one table (SQLite or DynamoDB).
#include <CLI/CLI.hpp>
#include <chrono>
#include <exception>
#include <iostream>
#include <memory>

#include "core/config.hpp"
#include "core/http_server.hpp"
#include "core/logging.hpp"
#include "core/metrics.hpp"
#include "core/router.hpp"
#include "core/service_routes.hpp"
#include "services/monolith/mysfit_api.hpp"
#include "services/monolith/store_factory.hpp"
#include "services/monolith/store_readiness.hpp"

namespace {

constexpr const char* kService = "mysfits-monolith";
constexpr std::chrono::milliseconds kReadinessInterval{2'000};

struct Config {
  mysfits::core::ServiceConfig service;
  mysfits::monolith::StoreConfig store;
};

}  // namespace

int main(int argc, char** argv) {
  using namespace mysfits;

  Config config;
  CLI::App app{"The Mythical Mysfits monolith: the REST API over one table.", kService};
  core::add_service_options(app, config.service);
  monolith::add_store_options(app, config.store);
  core::parse_or_exit(app, argc, argv);

  core::init_logging(kService, config.service.level());
  core::log_info("config", {{"host", config.service.host},
                            {"port", config.service.port},
                            {"admin_port", config.service.admin_port},
                            {"threads", config.service.threads},
                            {"store", monolith::describe(config.store)}});

  auto store = monolith::open_store(config.store);
  if (!store)
    core::exit_usage_error(kService, store.error().message);

  core::ServerOptions options;
  options.service_name = kService;
  options.threads = config.service.threads;
  options.drain_timeout = std::chrono::milliseconds(config.service.drain_timeout_ms);
  options.limits.request_timeout = std::chrono::milliseconds(config.service.request_timeout_ms);
  auto metrics = std::make_shared<core::Metrics>(kService);
  core::HttpServer server(options, metrics);

  core::Router router;
  core::add_root_route(router, "Mythical Mysfits monolith is up. The API lives at /mysfits.");
  core::add_probe_routes(router, server);
  monolith::MysfitApi api(*store.value(), monolith::BusinessSteps{});
  api.add_routes(router);

  core::Router admin_router;
  core::add_metrics_route(admin_router, *metrics);

  try {
    std::uint16_t port = server.listen(config.service.host, config.service.port, router);
    std::uint16_t admin_port = 0;
    if (config.service.admin_port != 0)
      admin_port = server.listen(config.service.host, config.service.admin_port, admin_router,
                                 /*public_traffic=*/false);
    core::log_info("listening", {{"port", port}, {"admin_port", admin_port}});
  } catch (const std::exception& e) {
    std::cerr << kService << ": " << e.what() << '\n';
    return 1;
  }

  monolith::watch_store_readiness(server, *store.value(), kReadinessInterval);
  server.run();
  core::log_info("stopped");
  return 0;
}
