#include "cli/canary_migration.hpp"

#include <fmt/format.h>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>

#include "cli/http_probe.hpp"
#include "cli/migration_plan.hpp"
#include "ingress/serving.hpp"

namespace mysfits::cli {
namespace {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// How often the step's counts are read and the report refreshed (the live line, the status
// page) and an abort is noticed.
constexpr milliseconds kPollInterval{250};
constexpr milliseconds kGatewayTimeout{2'000};

// The Kubernetes Services of what `to` adds to `from`: the canary's new target groups.
std::vector<std::string> new_services(Stage from, Stage to) {
  const auto before = roles_of(from);
  std::vector<std::string> services;
  for (const auto& role : roles_for(to)) {
    if (before.count(role.role) == 0)
      services.emplace_back(role.k8s_service);
  }
  return services;
}

std::optional<std::string> read_text(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in)
    return std::nullopt;
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The new target groups' counters from the gateway's /status.json; nullopt when it does not
// answer.
asio::awaitable<std::optional<TrafficCounters>> read_traffic(
    std::uint16_t admin_port, const std::vector<std::string>& services) {
  auto answer = co_await probe_request(admin_port, "GET", "/status.json", "", kGatewayTimeout);
  boost::system::error_code ec;
  auto doc = boost::json::parse(answer.body, ec);
  if (answer.status != 200 || ec || !doc.is_object())
    co_return std::nullopt;
  co_return traffic_of(doc.as_object(), services);
}

// Shows the report: GET /canary (through on_report) and the gateway's status page.
asio::awaitable<void> publish(CanaryControl& control, std::uint16_t admin_port) {
  if (control.on_report)
    control.on_report(control.report);
  co_await probe_request(admin_port, "PUT", "/canary",
                         boost::json::serialize(to_json(control.report)), kGatewayTimeout);
}

// The report's last word: on_done first, so whoever reads "finished" finds up free.
asio::awaitable<void> finish(CanaryControl& control, std::uint16_t admin_port, std::string state) {
  if (control.on_done)
    control.on_done();
  control.report.state = std::move(state);
  co_await publish(control, admin_port);
}

asio::awaitable<void> pause(milliseconds how_long) {
  asio::steady_timer timer(co_await asio::this_coro::executor, how_long);
  co_await timer.async_wait(asio::use_awaitable);
}

// Holds the current weight and judges the new target groups' traffic since the step began,
// one window of spec.step at a time; a verdict of pass or breach (an abort, unreadable counters
// or too many inconclusive windows are breaches) is written into the step.
asio::awaitable<Verdict> analyse_step(CanaryControl& control, const CanarySpec& spec,
                                      std::uint16_t admin_port) {
  auto& report = control.report;
  const auto before = co_await read_traffic(admin_port, report.services);
  auto window_end = Clock::now() + spec.step;
  report.steps.back().windows = 1;
  for (;;) {
    co_await pause(kPollInterval);
    auto& step = report.steps.back();
    if (control.stopping) {
      step.verdict = "aborted";
      step.reason = "mysfits up is stopping";
      co_return Verdict::kBreach;
    }
    if (control.abort_requested) {
      step.verdict = "aborted";
      step.reason = "aborted by the user";
      co_return Verdict::kBreach;
    }
    const auto now = co_await read_traffic(admin_port, report.services);
    if (!before || !now) {
      step.verdict = verdict_name(Verdict::kBreach);
      step.reason = "the gateway's counters could not be read";
      co_return Verdict::kBreach;
    }
    step.window = window_between(*before, *now);
    if (Clock::now() < window_end) {
      co_await publish(control, admin_port);
      continue;
    }
    std::string reason;
    auto verdict = judge(step.window, spec.thresholds, reason);
    if (verdict == Verdict::kInconclusive && step.windows <= kMaxExtraWindows) {
      ++step.windows;  // too few requests to judge yet: hold the weight another window
      window_end += spec.step;
      step.reason = reason;
      co_await publish(control, admin_port);
      continue;
    }
    if (verdict == Verdict::kInconclusive) {
      verdict = Verdict::kBreach;
      reason = "still inconclusive: " + reason;
    }
    step.verdict = verdict_name(verdict);
    step.reason = reason;
    co_return verdict;
  }
}

}  // namespace

std::string canary_refusal(Stage from, Stage to) {
  if (from == to)
    return "already at stage " + std::string(stage_name(to));
  const auto after = roles_of(to);
  for (const auto& role : roles_of(from)) {
    if (after.count(role) == 0) {
      return "a canary moves routes to the services a stage adds; stage " +
             std::string(stage_name(to)) + " takes " + role + " away: switch without --canary";
    }
  }
  return "";
}

asio::awaitable<MigrationOutcome> canary_migrate(Supervisor& supervisor, Console& console,
                                                 const UpLayout& layout, const UpFiles& files,
                                                 UpSettings& settings, std::vector<ChildSpec>& plan,
                                                 CanarySpec spec, CanaryControl& control) {
  auto& report = control.report;
  const Stage from = settings.stage;
  const Stage to = spec.to;
  report.from = stage_name(from);
  report.to = stage_name(to);
  report.spec = spec;
  report.services = new_services(from, to);
  const ChildSpec* gateway = gateway_of(plan);
  const std::uint16_t admin_port = gateway != nullptr ? gateway->ready_port : 0;
  MigrationOutcome out;
  auto refuse = [&](int status, std::string message) {
    report.message = message;
    out.status = status;
    out.message = std::move(message);
  };

  auto old_routes = ingress::load_serving({ingress_path(layout, from).string()});
  auto new_yaml = read_text(ingress_path(layout, to));
  if (auto why = canary_refusal(from, to); !why.empty()) {
    refuse(409, why);
  } else if (auto checked = check_stage_ingress(layout, to); !checked) {
    refuse(409, checked.error().message + "\nstage unchanged");
  } else if (!old_routes || !new_yaml || gateway == nullptr) {
    refuse(500, "the stages' Ingresses or the gateway could not be read; stage unchanged");
  }
  if (out.status != 200) {
    co_await finish(control, admin_port, "failed");
    co_return out;
  }

  UpSettings next = settings;
  next.stage = to;
  for (const auto& [service, command] : spec.exec)
    next.exec.insert_or_assign(service, command);
  console.event(fmt::format("canary from stage {} to {}: weights {} of the moved routes, {} s each",
                            report.from, report.to,
                            fmt::format("{}%", fmt::join(spec.weights, "%, ")),
                            static_cast<double>(spec.step.count()) / 1000.0));
  const auto added = added_children(next, layout, plan);
  std::vector<std::string> added_names;
  if (auto failed = co_await start_until_ready(supervisor, console, added, added_names);
      !failed.empty()) {
    refuse(503, failed + " did not become ready; stage unchanged");
    co_await finish(control, admin_port, "failed");
    co_return out;
  }
  std::vector<std::string> removed;  // none: a canary only adds
  auto next_plan = plan_after(plan, added, to, removed);
  const auto upstreams = upstream_arguments(to, next_plan);
  const auto weighted = files.dir / "canary-ingress.yaml";

  report.state = "running";
  std::string failure;
  for (int weight : spec.weights) {
    auto yaml = canary_ingress(*new_yaml, old_routes->routes, report.services, weight);
    auto written = yaml ? replace_file(weighted, *yaml) : core::Result<core::Unit>(yaml.error());
    if (!written) {
      failure = written.error().message;
      break;
    }
    auto reloaded = co_await reload_gateway_with(supervisor, files, weighted, upstreams, next_plan);
    if (reloaded.status != 200) {
      failure = reloaded.message;
      break;
    }
    report.steps.push_back(CanaryStepReport{weight, {}, 0, "running", ""});
    console.event(fmt::format("canary: {}% of the moved routes to {} (gateway configuration {})",
                              weight, fmt::join(report.services, ", "),
                              reloaded.gateway_generation));
    co_await publish(control, admin_port);
    const auto verdict = co_await analyse_step(control, spec, admin_port);
    const auto& step = report.steps.back();
    console.event(fmt::format("canary at {}%: {} ({})", weight, step.verdict, step.reason));
    if (verdict != Verdict::kPass) {
      failure = fmt::format("at {}%: {}", weight, step.reason);
      break;
    }
  }

  if (failure.empty()) {
    auto final = co_await reload_gateway(supervisor, layout, files, to, next_plan);
    if (final.status == 200) {
      plan = std::move(next_plan);
      settings = next;
      report.message = "every step passed; now at stage " + report.to;
      out.started = std::move(added_names);
      out.gateway_generation = final.gateway_generation;
      out.message = report.message;
      console.event("canary succeeded: now at stage " + report.to);
      co_await finish(control, admin_port, "succeeded");
      co_return out;
    }
    failure = final.message;
  }

  out.status = 409;
  out.stopped = added_names;
  const std::string outcome = control.abort_requested || control.stopping ? "aborted" : "failed";
  if (control.stopping) {  // everything is being stopped: nothing to put back
    report.message = "canary aborted " + failure;
    out.message = report.message;
    co_await finish(control, admin_port, outcome);
    co_return out;
  }
  // Rolled back: the old stage's routes at once, then the new services drain and stop.
  auto back = co_await reload_gateway(supervisor, layout, files, from, plan);
  report.message =
      "canary " + outcome + " " + failure + "; back at stage " + report.from +
      (back.status == 200 ? "" : " (the gateway did not confirm: " + back.message + ")");
  console.warning(report.message);
  co_await publish(control, admin_port);
  co_await deregistration_delay();
  co_await supervisor.stop(added_names, kServiceStopGrace);
  out.message = report.message;
  co_await finish(control, admin_port, outcome);
  co_return out;
}

}  // namespace mysfits::cli
