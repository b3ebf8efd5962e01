#include "cli/stage_migration.hpp"

#include <signal.h>

#include <algorithm>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>
#include <set>

#include "cli/free_ports.hpp"
#include "cli/http_probe.hpp"

namespace mysfits::cli {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr milliseconds kReloadDeadline{10'000};
// As the ALB's deregistration delay: a request the gateway picked a target for just before the
// reload still reaches it. Local hops take microseconds; this is generous.
constexpr milliseconds kDeregistrationDelay{500};

// The gateway's configuration generation from its status page; -1 when unknown. A reload
// error, if any, goes to error.
boost::asio::awaitable<int> gateway_generation(std::uint16_t admin_port, std::string& error) {
  auto answer = co_await probe_request(admin_port, "GET", "/status.json", "", milliseconds(2'000));
  if (answer.status != 200)
    co_return -1;
  boost::system::error_code ec;
  auto doc = boost::json::parse(answer.body, ec);
  if (ec || !doc.is_object())
    co_return -1;
  const auto& o = doc.as_object();
  if (auto* e = o.if_contains("last_reload_error"); e && e->is_string())
    error = std::string(e->as_string());
  auto* g = o.if_contains("generation");
  co_return g && g->is_int64() ? static_cast<int>(g->as_int64()) : -1;
}

}  // namespace

std::vector<ChildSpec> added_children(const UpSettings& next, const UpLayout& layout,
                                      const std::vector<ChildSpec>& plan) {
  std::set<std::string> running;
  std::vector<std::uint16_t> monolith_ports;
  for (const auto& child : plan) {
    running.insert(child.role);
    if (child.role == "monolith")
      monolith_ports.push_back(child.port);
  }
  FreePorts ports;
  auto fresh = plan_children(next, layout, [&ports] { return ports.pick(); });
  std::vector<ChildSpec> added;
  int index = 0;
  for (auto& child : fresh) {
    if (running.count(child.role) > 0)
      continue;
    for (auto& [name, value] : child.launch.env) {
      if (name == "MONOLITH_URL" && !monolith_ports.empty()) {
        std::uint16_t port =
            monolith_ports[static_cast<std::size_t>(index) % monolith_ports.size()];
        value = "http://127.0.0.1:" + std::to_string(port);
      }
    }
    ++index;
    added.push_back(std::move(child));
  }
  return added;
}

boost::asio::awaitable<std::string> start_until_ready(Supervisor& supervisor, Console& console,
                                                      const std::vector<ChildSpec>& added,
                                                      std::vector<std::string>& names) {
  for (const auto& child : added) {
    console.announce_name(child.name);
    supervisor.start(child);
    names.push_back(child.name);
  }
  auto deadline = Clock::now() + kServiceReadyDeadline;
  for (const auto& child : added) {
    if (!co_await supervisor.wait_ready(child.name, deadline)) {
      co_await supervisor.stop(names, kServiceStopGrace);
      co_return child.name;
    }
  }
  co_return std::string();
}

std::vector<ChildSpec> plan_after(const std::vector<ChildSpec>& plan,
                                  const std::vector<ChildSpec>& added, Stage to,
                                  std::vector<std::string>& removed) {
  const auto keep = roles_of(to);
  std::vector<ChildSpec> next_plan;
  for (const auto& child : plan) {
    if (child.role == kGatewayRole || keep.count(child.role) > 0)
      next_plan.push_back(child);
    else
      removed.push_back(child.name);
  }
  // Split-out services start after the monolith, before the gateway, as `up` orders them.
  auto gateway_at = std::find_if(next_plan.begin(), next_plan.end(),
                                 [](const ChildSpec& c) { return c.role == kGatewayRole; });
  next_plan.insert(gateway_at, added.begin(), added.end());
  return next_plan;
}

boost::asio::awaitable<void> deregistration_delay() {
  boost::asio::steady_timer delay(co_await boost::asio::this_coro::executor, kDeregistrationDelay);
  co_await delay.async_wait(boost::asio::use_awaitable);
}

boost::asio::awaitable<MigrationOutcome> reload_gateway(Supervisor& supervisor,
                                                        const UpLayout& layout,
                                                        const UpFiles& files, Stage stage,
                                                        const std::vector<ChildSpec>& children) {
  co_return co_await reload_gateway_with(supervisor, files, ingress_path(layout, stage),
                                         upstream_arguments(stage, children), children);
}

boost::asio::awaitable<MigrationOutcome> reload_gateway_with(
    Supervisor& supervisor, const UpFiles& files, const std::filesystem::path& ingress,
    const std::vector<std::string>& upstreams, const std::vector<ChildSpec>& children) {
  MigrationOutcome out;
  const ChildSpec* gateway = gateway_of(children);
  if (gateway == nullptr) {
    out = {500, "no gateway in the running plan", {}, {}, 0};
    co_return out;
  }
  std::string error;
  int before = co_await gateway_generation(gateway->ready_port, error);
  auto written = replace_file(files.upstreams, upstreams_text(upstreams));
  auto linked = replace_symlink(files.ingress_link, ingress);
  if (!written || !linked) {
    out = {500, !written ? written.error().message : linked.error().message, {}, {}, 0};
    co_return out;
  }
  supervisor.signal(gateway->name, SIGHUP);
  auto executor = co_await boost::asio::this_coro::executor;
  boost::asio::steady_timer pause(executor);
  for (auto deadline = Clock::now() + kReloadDeadline; Clock::now() < deadline;) {
    error.clear();
    int now = co_await gateway_generation(gateway->ready_port, error);
    if (now > before && before >= 0) {
      out.gateway_generation = now;
      co_return out;
    }
    if (!error.empty() && now == before) {
      out = {500, "the gateway refused the new configuration: " + error, {}, {}, 0};
      co_return out;
    }
    pause.expires_after(milliseconds(20));  // a poll interval, not a synchronisation
    co_await pause.async_wait(boost::asio::use_awaitable);
  }
  out = {503, "the gateway did not load the new configuration in time", {}, {}, 0};
  co_return out;
}

boost::asio::awaitable<MigrationOutcome> migrate_stage(Supervisor& supervisor, Console& console,
                                                       const UpLayout& layout, const UpFiles& files,
                                                       UpSettings& settings,
                                                       std::vector<ChildSpec>& plan, Stage to,
                                                       ExecOverrides exec) {
  MigrationOutcome out;
  if (to == settings.stage) {
    out.message = "already at stage " + std::string(stage_name(to));
    co_return out;
  }
  if (auto checked = check_stage_ingress(layout, to); !checked) {
    out = {409, checked.error().message + "\nstage unchanged", {}, {}, 0};
    co_return out;
  }
  const Stage from = settings.stage;
  UpSettings next = settings;
  next.stage = to;
  for (const auto& [service, command] : exec)
    next.exec.insert_or_assign(service, command);
  console.event("migrating from stage " + std::string(stage_name(from)) + " to " +
                std::string(stage_name(to)));

  // 1. What the new stage adds runs and is ready before anything routes to it.
  auto added = added_children(next, layout, plan);
  std::vector<std::string> added_names;
  if (auto failed = co_await start_until_ready(supervisor, console, added, added_names);
      !failed.empty()) {
    out = {503, failed + " did not become ready; stage unchanged", {}, {}, 0};
    co_return out;
  }

  // 2. The gateway routes by the new stage's Ingress.
  std::vector<std::string> removed;
  auto next_plan = plan_after(plan, added, to, removed);
  auto switched = co_await reload_gateway(supervisor, layout, files, to, next_plan);
  if (switched.status != 200) {
    // Back to where we were: the old files, the old generation's routes, the added stopped.
    co_await reload_gateway(supervisor, layout, files, from, plan);
    co_await supervisor.stop(added_names, kServiceStopGrace);
    switched.message += "; stage unchanged";
    co_return switched;
  }

  // 3. Nothing routes to the removed services any more; after the deregistration delay they
  // finish what they still hold and exit.
  co_await deregistration_delay();
  co_await supervisor.stop(removed, kServiceStopGrace);
  plan = std::move(next_plan);
  settings = next;
  out.started = std::move(added_names);
  out.stopped = std::move(removed);
  out.gateway_generation = switched.gateway_generation;
  out.message = "now at stage " + std::string(stage_name(to));
  console.event(out.message + " (gateway configuration " + std::to_string(out.gateway_generation) +
                ")");
  co_return out;
}

}  // namespace mysfits::cli
