#include "cli/up_runner.hpp"

#include <signal.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <thread>

#include "cli/console.hpp"
#include "cli/free_ports.hpp"
#include "cli/installation.hpp"
#include "cli/static_site.hpp"
#include "cli/supervisor.hpp"
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

std::string store_description(const fs::path& db_path) {
  if (const char* table = std::getenv("DDB_TABLE_NAME"); table != nullptr && *table != '\0')
    return "DynamoDB table " + std::string(table) + " (DDB_TABLE_NAME)";
  return "SQLite " + db_path.string();
}

fs::path default_db_path() {
  const char* env = std::getenv("MYSFITS_DB");
  return fs::absolute(env != nullptr && *env != '\0' ? fs::path(env) : fs::path("mysfits.db"));
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
  UpRun(const UpSettings& settings, UpLayout layout, std::vector<ChildSpec> plan,
        core::HttpServer& site_server)
      : settings_(settings),
        layout_(std::move(layout)),
        plan_(std::move(plan)),
        site_server_(site_server),
        console_(stdout, Console::colour_wanted()),
        supervisor_(io_, console_),
        signals_(io_, SIGINT, SIGTERM, SIGHUP),
        stop_event_(io_, Clock::time_point::max()) {}

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
        stop_event_.cancel();
      } else {
        console_.warning("killing every child now");
        supervisor_.kill_all();
      }
      watch_signals();
    });
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
    std::thread site_thread;
    if (started && !stop_requested_) {
      site_thread = std::thread([this] { site_server_.run(); });
      console_.block(render_summary(settings_, layout_, supervisor_.status(),
                                    store_description(layout_.db_path)));
      co_await stop_event_.async_wait(asio::as_tuple(asio::use_awaitable));
    }
    // Front to back: the gateway stops taking requests before anything behind it goes away.
    const std::vector<std::string> stop_order{std::string(kGatewayRole), "like", "adopt",
                                              "monolith"};
    co_await supervisor_.stop_all(stop_order, kStopGrace);
    if (site_thread.joinable()) {
      site_server_.shutdown();
      site_thread.join();
    }
    signals_.cancel();
    console_.event(started ? "everything stopped" : "stopped");
    co_return started ? 0 : 1;
  }

  UpSettings settings_;
  UpLayout layout_;
  std::vector<ChildSpec> plan_;
  core::HttpServer& site_server_;
  asio::io_context io_;
  Console console_;
  Supervisor supervisor_;
  asio::signal_set signals_;
  asio::steady_timer stop_event_;  // cancelled on the first stop signal
  bool stop_requested_ = false;
};

}  // namespace

int run_up(const UpSettings& settings) {
  auto installation = Installation::locate();
  if (!installation) {
    fail(installation.error().message);
    return 1;
  }
  UpLayout layout{installation->bin_dir, installation->source_dir, default_db_path()};

  std::vector<std::string> executables{std::string(kGatewayExecutable)};
  for (const auto& role : roles_for(settings.stage))
    executables.emplace_back(role.executable);
  auto missing = missing_executables(layout.bin_dir, executables);
  if (!missing.empty()) {
    std::string list;
    for (const auto& name : missing)
      list += (list.empty() ? "" : ", ") + name;
    fail("missing in " + layout.bin_dir.string() + ": " + list +
         " (build them first: cmake --build build)");
    return 1;
  }
  if (settings.port == settings.web_port) {
    fail("--port and --web-port must differ");
    return 1;
  }
  if (auto error = bind_error(settings.host, settings.port); !error.empty()) {
    fail("cannot use " + settings.host + ":" + std::to_string(settings.port) +
         " for the gateway: " + error);
    return 1;
  }

  // Only warnings from our own website server: the children's logs are the interesting ones.
  core::init_logging("mysfits-up", core::LogLevel::kWarn);
  StaticSite site(layout.source_dir / "web", settings.port);
  core::Router site_router;
  site.add_routes(site_router);
  core::ServerOptions site_options;
  site_options.service_name = "mysfits-up-web";
  site_options.threads = 1;
  site_options.drain_timeout = milliseconds(2'000);
  core::HttpServer site_server(site_options);
  try {
    // Bound now, served once the API is ready: a browser opened early waits instead of
    // showing an error.
    site_server.listen(settings.host, settings.web_port, site_router);
  } catch (const std::exception& e) {
    fail(std::string("website: ") + e.what());
    return 1;
  }

  std::vector<ChildSpec> plan;
  {
    FreePorts ports;
    plan = plan_children(settings, layout, [&ports] { return ports.pick(); });
  }
  UpRun run(settings, std::move(layout), std::move(plan), site_server);
  return run.run();
}

}  // namespace mysfits::cli
