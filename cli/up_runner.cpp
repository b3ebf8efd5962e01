#include "cli/up_runner.hpp"

#include <signal.h>
#include <unistd.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <mutex>
#include <thread>

#include "cli/canary_migration.hpp"
#include "cli/console.hpp"
#include "cli/free_ports.hpp"
#include "cli/rolling_restart.hpp"
#include "cli/stage_migration.hpp"
#include "cli/static_site.hpp"
#include "cli/supervisor.hpp"
#include "cli/up_layout.hpp"
#include "cli/up_servers.hpp"
#include "cli/up_state.hpp"
#include "core/http_server.hpp"
#include "core/logging.hpp"
#include "core/router.hpp"

namespace mysfits::cli {

namespace asio = boost::asio;
namespace fs = std::filesystem;
using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

namespace {

// Long enough for a DynamoDB-backed monolith on a cold network; a local start takes well
// under a second.
constexpr milliseconds kReadyDeadline{30'000};
// Each service drains in-flight requests on SIGTERM; past this it is killed.
constexpr milliseconds kStopGrace{10'000};

void fail(const std::string& message) {
  std::cerr << "mysfits up: " << message << '\n';
}

// The children grouped in start order: monolith replicas, then each split-out service's,
// then the gateway. Each group is ready before the next starts: the like and adopt services
// report ready only once the monolith answers, and the gateway needs its targets.
std::vector<std::vector<ChildSpec>> start_tiers(std::vector<ChildSpec> children) {
  std::vector<std::vector<ChildSpec>> tiers(3);
  for (auto& child : children) {
    std::size_t tier = child.role == "monolith" ? 0 : child.role == kGatewayRole ? 2 : 1;
    tiers[tier].push_back(std::move(child));
  }
  return tiers;
}

class UpRun {
 public:
  UpRun(UpSettings settings, UpLayout layout, UpFiles files, std::vector<ChildSpec> plan,
        UpServers& servers, LogFormat log_format)
      : settings_(std::move(settings)),
        layout_(std::move(layout)),
        files_(std::move(files)),
        plan_(std::move(plan)),
        servers_(servers),
        console_(stdout, Console::colour_wanted(), log_format),
        supervisor_(io_, console_),
        signals_(io_, SIGINT, SIGTERM, SIGHUP),
        stop_event_(io_, Clock::time_point::max()) {
    supervisor_.on_change([this] { record_state(); });
    servers_.on_migrate([this](Stage to, ExecOverrides exec, core::Responder responder) {
      auto shared = std::make_shared<core::Responder>(std::move(responder));
      asio::post(io_, [this, to, exec = std::move(exec), shared] {
        start_operation(shared, [this, to, exec] {
          return migrate_stage(supervisor_, console_, layout_, files_, settings_, plan_, to, exec);
        });
      });
    });
    servers_.on_canary([this](CanarySpec spec, core::Responder responder) {
      auto shared = std::make_shared<core::Responder>(std::move(responder));
      asio::post(io_, [this, spec = std::move(spec), shared] { start_canary(spec, *shared); });
    });
    servers_.on_canary_abort([this](core::Responder responder) {
      auto shared = std::make_shared<core::Responder>(std::move(responder));
      asio::post(io_, [this, shared] { abort_canary(*shared); });
    });
    servers_.on_restart([this](core::Responder responder) {
      auto shared = std::make_shared<core::Responder>(std::move(responder));
      asio::post(io_, [this, shared] {
        start_operation(shared, [this] {
          return rolling_restart(supervisor_, console_, layout_, files_, settings_, plan_);
        });
      });
    });
    // Known up front, so the name column has one width from the first line on.
    for (const auto& child : plan_)
      console_.announce_name(child.name);
  }

  int run() {
    int exit_code = 1;
    watch_signals();
    asio::co_spawn(io_, main_flow(), [&](std::exception_ptr error, int code) {
      exit_code = code;
      if (error) {
        try {
          std::rethrow_exception(error);
        } catch (const std::exception& e) {
          fail(e.what());
        }
        exit_code = 1;
      }
    });
    io_.run();
    return exit_code;
  }

 private:
  // The first signal stops everything gracefully; a second one kills what is left at once.
  void watch_signals() {
    signals_.async_wait([this](const boost::system::error_code& ec, int sig) {
      if (ec)
        return;
      if (!stop_requested_) {
        stop_requested_ = true;
        console_.event(std::string("SIG") + ::sigabbrev_np(sig) +
                       " received: stopping everything (again to kill at once)");
        supervisor_.cancel_waits();
        if (canary_)
          canary_->stopping = true;
        stop_event_.cancel();
      } else {
        console_.warning("killing every child now");
        supervisor_.kill_all();
      }
      watch_signals();
    });
  }

  // state.json and GET /state, from the supervisor's view; called on every start and exit.
  void record_state() {
    UpSnapshot snapshot{::getpid(),
                        settings_,
                        servers_.control_port(),
                        store_description(layout_.db_path),
                        ingress_path(layout_, settings_.stage),
                        supervisor_.status()};
    snapshot.gateway_admin_port = gateway_admin_port();
    std::string json = state_json(snapshot);
    servers_.publish_state(json);
    if (auto written = replace_file(files_.state, json); !written && !state_warning_shown_) {
      state_warning_shown_ = true;
      console_.warning(written.error().message);
    }
  }

  std::uint16_t gateway_admin_port() const {
    const ChildSpec* gateway = gateway_of(plan_);
    return gateway == nullptr ? 0 : gateway->ready_port;
  }

  // On io_, like everything that touches the supervisor: one migration or restart at a time,
  // none while starting or stopping.
  void start_operation(std::shared_ptr<core::Responder> responder,
                       std::function<asio::awaitable<MigrationOutcome>()> operation) {
    if (migrating_ || stop_requested_ || !running_) {
      responder->send(core::Response::error(
          409, "conflict",
          migrating_ ? "a migration or restart is running" : "mysfits up is starting or stopping"));
      return;
    }
    migrating_ = true;
    asio::co_spawn(
        io_, operation(), [this, responder](std::exception_ptr error, MigrationOutcome out) {
          migrating_ = false;
          record_state();
          if (error) {
            responder->send(core::Response::error(500, "internal", "migration failed"));
            return;
          }
          if (out.status != 200) {
            responder->send(core::Response::error(out.status, "migration_failed", out.message));
            return;
          }
          boost::json::object o;
          o["stage"] = stage_name(settings_.stage);
          o["message"] = out.message;
          o["started"] = boost::json::value_from(out.started);
          o["stopped"] = boost::json::value_from(out.stopped);
          o["gateway_generation"] = out.gateway_generation;
          responder->send(core::Response::json(200, boost::json::serialize(o)));
        });
  }

  // A canary answers 202 at once: it runs for many seconds, and `mysfits migrate` follows it
  // on GET /canary (and may abort it) instead of holding a request open.
  void start_canary(const CanarySpec& spec, core::Responder& responder) {
    if (migrating_ || stop_requested_ || !running_) {
      responder.send(core::Response::error(
          409, "conflict",
          migrating_ ? "a migration or restart is running" : "mysfits up is starting or stopping"));
      return;
    }
    migrating_ = true;
    canary_ = std::make_shared<CanaryControl>();
    canary_->on_report = [this](const CanaryReport& report) {
      servers_.publish_canary(boost::json::serialize(to_json(report)));
    };
    canary_->on_done = [this] {
      migrating_ = false;
      record_state();
    };
    canary_->report.spec = spec;
    canary_->on_report(canary_->report);
    responder.send(core::Response::json(202, boost::json::serialize(to_json(canary_->report))));
    asio::co_spawn(
        io_,
        canary_migrate(supervisor_, console_, layout_, files_, settings_, plan_, spec, *canary_),
        [this, control = canary_](std::exception_ptr error, const MigrationOutcome&) {
          if (!error)
            return;  // on_done has run
          migrating_ = false;
          control->report.state = "failed";
          control->report.message = "the canary stopped on an internal error";
          control->on_report(control->report);
          record_state();
        });
  }

  void abort_canary(core::Responder& responder) {
    if (!canary_ || canary_->report.finished()) {
      responder.send(core::Response::error(409, "conflict", "no canary is running"));
      return;
    }
    canary_->abort_requested = true;
    responder.send(core::Response::json(202, boost::json::serialize(to_json(canary_->report))));
  }

  asio::awaitable<bool> start_all() {
    console_.event("starting stage " + std::string(stage_name(settings_.stage)) + " from " +
                   layout_.bin_dir.string());
    for (auto& tier : start_tiers(plan_)) {
      for (const auto& child : tier)
        supervisor_.start(child);
      auto deadline = Clock::now() + kReadyDeadline;
      for (const auto& child : tier) {
        if (!co_await supervisor_.wait_ready(child.name, deadline)) {
          if (!stop_requested_) {
            console_.warning(child.name + " was not ready within " +
                             std::to_string(kReadyDeadline.count() / 1000) +
                             " s (its output is above); giving up");
          }
          co_return false;
        }
        console_.event(child.name + " is ready on port " + std::to_string(child.port));
      }
    }
    co_return true;
  }

  asio::awaitable<int> main_flow() {
    bool started = co_await start_all();
    if (started && !stop_requested_) {
      running_ = true;
      servers_.start();
      console_.block(render_summary(settings_, layout_, supervisor_.status(),
                                    store_description(layout_.db_path), gateway_admin_port()));
      co_await stop_event_.async_wait(asio::as_tuple(asio::use_awaitable));
    }
    // Front to back: the gateway stops taking requests before anything behind it goes away.
    const std::vector<std::string> stop_order{std::string(kGatewayRole), "like", "adopt",
                                              "monolith"};
    running_ = false;
    co_await supervisor_.stop_all(stop_order, kStopGrace);
    servers_.stop();
    signals_.cancel();
    console_.event(started ? "everything stopped" : "stopped");
    co_return started ? 0 : 1;
  }

  UpSettings settings_;
  UpLayout layout_;
  UpFiles files_;
  std::vector<ChildSpec> plan_;
  UpServers& servers_;
  asio::io_context io_;
  Console console_;
  Supervisor supervisor_;
  asio::signal_set signals_;
  asio::steady_timer stop_event_;  // cancelled on the first stop signal
  bool stop_requested_ = false;
  bool running_ = false;    // everything started, not yet stopping
  bool migrating_ = false;  // a stage switch is under way
  bool state_warning_shown_ = false;
  std::shared_ptr<CanaryControl> canary_;  // the last canary started, kept for GET /canary
};

}  // namespace

int run_up(const UpSettings& settings, LogFormat log_format) {
  UpFiles files = up_files_for_port(settings.port);
  auto layout = prepare_layout(settings, files);
  if (!layout) {
    fail(layout.error().message);
    return 1;
  }

  // Only warnings from our own servers: the children's logs are the interesting ones.
  core::init_logging("mysfits-up", core::LogLevel::kWarn);
  std::unique_ptr<UpServers> servers;
  try {
    servers = std::make_unique<UpServers>(layout->source_dir / "web", settings);
  } catch (const std::exception& e) {
    fail("website on " + settings.host + ":" + std::to_string(settings.web_port) + ": " + e.what());
    return 1;
  }

  std::vector<ChildSpec> plan;
  try {
    // The gateway binds its port last; no child may be handed it first (the web port is bound).
    FreePorts ports({settings.port});
    plan = plan_children(settings, *layout, [&ports] { return ports.pick(); });
  } catch (const std::exception& e) {
    fail(e.what());
    return 1;
  }
  if (auto written = write_gateway_inputs(settings, *layout, files, plan); !written) {
    fail(written.error().message);
    return 1;
  }
  int exit_code =
      UpRun(settings, std::move(*layout), files, std::move(plan), *servers, log_format).run();
  servers.reset();
  remove_up_files(files);
  return exit_code;
}

}  // namespace mysfits::cli
