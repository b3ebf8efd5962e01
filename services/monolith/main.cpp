// mysfits-monolith: every API route over one table (SQLite or DynamoDB).
#include <CLI/CLI.hpp>
#include <chrono>

#include "core/config.hpp"
#include "core/logging.hpp"
#include "core/service_host.hpp"
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
  core::ServiceHost host(kService, config.service, core::ServerOptions{});
  core::log_info("config", {{"host", config.service.host},
                            {"port", config.service.port},
                            {"admin_port", config.service.admin_port},
                            {"threads", config.service.threads},
                            {"request_timeout_ms", host.request_timeout().count()},
                            {"store", monolith::describe(config.store)}});

  auto store = monolith::open_store(config.store);
  if (!store)
    core::exit_usage_error(kService, store.error().message);

  core::add_root_route(host.router(),
                       "Mythical Mysfits monolith is up. The API lives at /mysfits.");
  core::add_probe_routes(host.router(), host.server());
  monolith::MysfitApi api(*store.value(), monolith::BusinessSteps{});
  api.add_routes(host.router());

  monolith::watch_store_readiness(host.server(), *store.value(), kReadinessInterval);
  return host.run();
}
