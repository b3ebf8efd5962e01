#include "split/step_service.hpp"

#include <CLI/CLI.hpp>
#include <chrono>

#include "core/config.hpp"
#include "core/http_client.hpp"
#include "core/logging.hpp"
#include "core/metrics.hpp"
#include "core/relay.hpp"
#include "core/router.hpp"
#include "core/service_host.hpp"
#include "core/service_routes.hpp"
#include "core/upstream_readiness.hpp"

namespace mysfits::split {
namespace {

constexpr std::chrono::milliseconds kReadinessInterval{1'000};
constexpr const char* kUpstreamName = "monolith";
constexpr std::string_view kIdParam = "{id}";

struct Config {
  core::ServiceConfig service;
  std::string monolith_url;
  int monolith_timeout_ms = 3'000;
  int monolith_connections = 64;
};

std::string fill_id(std::string pattern, std::string_view id) {
  if (const auto at = pattern.find(kIdParam); at != std::string::npos) {
    pattern.replace(at, kIdParam.size(), id);
  }
  return pattern;
}

void add_step_route(core::Router& router, const StepService& service, core::HttpClient& monolith) {
  router.post(service.route, [&service, &monolith](const core::Request& request,
                                                   core::Responder responder) {
    const std::string_view id = request.param(0);
    if (!service.valid_id(id)) {
      responder.send(core::Response::error(400, "bad_request", service.invalid_id_message));
      return;
    }
    if (auto done = service.step(id, request.request_id()); !done) {
      responder.send(core::Response::from_error(done.error()));
      return;
    }
    core::relay(monolith, kUpstreamName, request, "POST", fill_id(service.upstream_route, id),
                std::move(responder));
  });
}

void add_client_gauges(core::Metrics& metrics, const core::HttpClient& client) {
  metrics.add_gauge("mysfits_upstream_connections_open",
                    "Connections open to the monolith (idle, busy or connecting)",
                    [&client] { return static_cast<double>(client.stats().open); });
  metrics.add_gauge("mysfits_upstream_connections_opened_total",
                    "Connections ever opened to the monolith",
                    [&client] { return static_cast<double>(client.stats().connections_opened); });
  metrics.add_gauge("mysfits_upstream_retries_total",
                    "Requests to the monolith sent again (only when surely not processed)",
                    [&client] { return static_cast<double>(client.stats().retries); });
}

}  // namespace

int run_step_service(const StepService& service, int argc, char** argv) {
  Config config;
  CLI::App app{service.description, service.name};
  core::add_service_options(app, config.service);
  app.add_option("--monolith-url", config.monolith_url,
                 "The monolith: host, host:port or http://host[:port] (required)")
      ->envname("MONOLITH_URL");
  app.add_option("--monolith-timeout-ms", config.monolith_timeout_ms,
                 "Deadline of one call to the monolith; past it the answer is 504")
      ->envname("MONOLITH_TIMEOUT_MS")
      ->check(CLI::Range(1, 600'000));
  app.add_option("--monolith-connections", config.monolith_connections,
                 "Most connections open to the monolith per worker thread")
      ->envname("MONOLITH_CONNECTIONS")
      ->check(CLI::Range(1, 10'000));
  core::parse_or_exit(app, argc, argv);

  if (config.monolith_url.empty())
    core::exit_usage_error(service.name, "MONOLITH_URL (or --monolith-url) is required");
  auto endpoint = core::Endpoint::parse(config.monolith_url);
  if (!endpoint)
    core::exit_usage_error(service.name, "MONOLITH_URL: " + endpoint.error().message);

  core::init_logging(service.name, config.service.level());
  core::ClientOptions client_options;
  client_options.request_timeout = std::chrono::milliseconds(config.monolith_timeout_ms);
  client_options.max_open_per_thread = static_cast<std::size_t>(config.monolith_connections);
  client_options.max_idle_per_thread = client_options.max_open_per_thread;
  // Before the host, so it outlives the server's workers, whose threads its pools live on.
  core::HttpClient monolith(*endpoint, client_options);
  core::ServiceHost host(service.name, config.service, core::ServerOptions{});
  core::log_info("config", {{"host", config.service.host},
                            {"port", config.service.port},
                            {"admin_port", config.service.admin_port},
                            {"threads", config.service.threads},
                            {"request_timeout_ms", host.request_timeout().count()},
                            {"monolith", endpoint->to_string()},
                            {"monolith_timeout_ms", config.monolith_timeout_ms},
                            {"monolith_connections", config.monolith_connections}});
  add_client_gauges(host.metrics(), monolith);

  core::add_root_route(host.router(), service.root_message);
  core::add_probe_routes(host.router(), host.server());
  add_step_route(host.router(), service, monolith);
  core::watch_upstream_readiness(host.server(), monolith, kUpstreamName, "/readyz",
                                 kReadinessInterval);
  return host.run();
}

}  // namespace mysfits::split
