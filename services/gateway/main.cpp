// mysfits-gateway: the ALB on a laptop. Reads the same Ingress manifests EKS gets, routes by the
// AWS Load Balancer Controller's rules, and forwards to local endpoints standing in for pods.
#include <CLI/CLI.hpp>
#include <chrono>
#include <csignal>

#include "core/config.hpp"
#include "core/logging.hpp"
#include "core/metrics.hpp"
#include "core/service_host.hpp"
#include "core/service_routes.hpp"
#include "services/gateway/health_checker.hpp"
#include "services/gateway/proxy.hpp"
#include "services/gateway/status_page.hpp"

namespace {

constexpr const char* kService = "mysfits-gateway";
// The ALB has no body limit; the gateway buffers bodies, so it needs one.
constexpr std::size_t kMaxBody = 16 * 1024 * 1024;

struct Config {
  mysfits::core::ServiceConfig service;
  std::vector<std::string> ingress_files;
  std::vector<std::string> upstreams;
  std::string upstreams_file;
  double health_check_speedup = 1.0;
};

void add_target_gauges(mysfits::core::Metrics& metrics,
                       const mysfits::gateway::GatewayState& state) {
  using mysfits::gateway::TargetState;
  auto count = [&state](TargetState wanted) {
    return [&state, wanted] {
      double n = 0;
      for (const auto& [id, group] : state.current()->groups) {
        for (const auto& t : group->targets())
          n += t->state() == wanted ? 1 : 0;
      }
      return n;
    };
  };
  metrics.add_gauge("mysfits_gateway_targets_healthy", "Registered targets that are healthy.",
                    count(TargetState::kHealthy));
  metrics.add_gauge("mysfits_gateway_targets_unhealthy", "Registered targets that are unhealthy.",
                    count(TargetState::kUnhealthy));
  metrics.add_gauge("mysfits_gateway_targets_initial", "Registered targets not yet checked.",
                    count(TargetState::kInitial));
  metrics.add_gauge("mysfits_gateway_targets_draining", "Targets removed and still draining.",
                    [&state] { return static_cast<double>(state.draining().size()); });
  metrics.add_gauge("mysfits_gateway_upstream_in_flight", "Requests waiting for a target.",
                    [&state] {
                      double n = 0;
                      for (const auto& [id, group] : state.current()->groups) {
                        for (const auto& t : group->targets())
                          n += t->in_flight();
                      }
                      for (const auto& d : state.draining())
                        n += d.target->in_flight();
                      return n;
                    });
  metrics.add_gauge("mysfits_gateway_config_generation",
                    "Loads of the configuration that took and every worker serves.",
                    [&state] { return static_cast<double>(state.serving_generation()); });
}

}  // namespace

int main(int argc, char** argv) {
  using namespace mysfits;

  Config config;
  CLI::App app{"The ALB on a laptop: routes by the Ingress manifests to local endpoints.",
               kService};
  core::add_service_options(app, config.service);
  app.add_option("--ingress", config.ingress_files,
                 "Kubernetes manifest file (multi-document YAML); repeatable")
      ->required()
      ->check(CLI::ExistingFile);
  app.add_option("--upstream", config.upstreams,
                 "SERVICE:PORT=ADDR[,ADDR...]: local endpoints of a Service port; repeatable");
  app.add_option("--upstreams-file", config.upstreams_file,
                 "File of SERVICE:PORT=ADDR[,ADDR...] lines, re-read on SIGHUP (wins over "
                 "--upstream for the same SERVICE:PORT)");
  app.add_option("--health-check-speedup", config.health_check_speedup,
                 "Divide health-check intervals and timeouts by this (tests, demos)")
      ->check(CLI::Range(1.0, 1000.0));
  core::parse_or_exit(app, argc, argv);

  gateway::Sources sources;
  sources.ingress_files = config.ingress_files;
  sources.upstreams_file = config.upstreams_file;
  sources.health_check_speedup = config.health_check_speedup;
  for (const auto& spec : config.upstreams) {
    auto parsed = gateway::parse_upstream(spec, sources.upstream_flags);
    if (!parsed)
      core::exit_usage_error(kService, parsed.error().message);
  }

  core::init_logging(kService, config.service.level());
  gateway::GatewayState state(std::move(sources));
  if (auto loaded = state.load(); !loaded)
    core::exit_usage_error(kService, loaded.error().message);
  const auto snapshot = state.current();

  core::ServerOptions options;
  options.cors = false;         // a load balancer relays the targets' CORS headers, adds none
  options.request_ids = false;  // X-Amzn-Trace-Id is the ALB's request id
  options.limits.max_body = kMaxBody;
  // The ALB's idle timeout, fixed at start (a reload cannot change a listener's accepted
  // connections). It also bounds the arrival of one request unless REQUEST_TIMEOUT_MS or
  // --request-timeout-ms says otherwise.
  const std::chrono::milliseconds idle(snapshot->load_balancer.attributes.idle_timeout_seconds *
                                       1000LL);
  options.limits.idle_timeout = idle;
  options.limits.request_timeout = idle;
  core::ServiceHost host(kService, config.service, options);
  core::log_info("config", {{"host", config.service.host},
                            {"port", config.service.port},
                            {"admin_port", config.service.admin_port},
                            {"threads", config.service.threads},
                            {"idle_timeout_ms", idle.count()},
                            {"request_timeout_ms", host.request_timeout().count()},
                            {"load_balancer", snapshot->load_balancer.group},
                            {"rules", snapshot->routes.listener().rules.size()},
                            {"target_groups", snapshot->groups.size()},
                            {"upstreams_file", config.upstreams_file}});
  add_target_gauges(host.metrics(), state);

  gateway::Proxy proxy(state);
  host.router().fallback([&proxy](const core::Request& request, core::Responder responder) {
    proxy.handle(request, std::move(responder));
  });
  core::add_probe_routes(host.admin_router(), host.server());
  gateway::add_status_routes(host.admin_router(), state);

  state.publish_to(host.server());
  gateway::HealthChecker checker(state);
  host.server().run_every(gateway::HealthChecker::kTick, [&checker, &state] {
    checker.tick();
    state.prune_draining();
  });
  host.server().on_signal(SIGHUP, [&state] {
    core::log_info("reload_requested");
    (void)state.reload();
  });
  host.server().set_ready(true);
  return host.run();
}
