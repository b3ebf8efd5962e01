#include "core/config.hpp"

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <iostream>

namespace mysfits::core {

LogLevel ServiceConfig::level() const {
  LogLevel out = LogLevel::kInfo;
  parse_log_level(log_level, out);
  return out;
}

void add_service_options(CLI::App& app, ServiceConfig& config) {
  app.option_defaults()->always_capture_default();
  app.add_option("--host", config.host, "Listen address")->envname("HOST");
  app.add_option("--port", config.port, "Listen port (0: any free port)")->envname("PORT");
  app.add_option("--admin-port", config.admin_port, "Port for /metrics (0: off)")
      ->envname("ADMIN_PORT");
  app.add_option("--log-level", config.log_level, "debug, info, warn or error")
      ->envname("LOG_LEVEL")
      ->check(CLI::IsMember({"debug", "info", "warn", "error"}));
  app.add_option("--threads", config.threads,
                 "Worker threads (0: one per CPU this process may use: its CPU affinity and cgroup "
                 "CPU limit)")
      ->envname("THREADS")
      ->check(CLI::Range(0, 256));
  app.add_option("--drain-timeout-ms", config.drain_timeout_ms,
                 "How long in-flight requests may finish after SIGTERM")
      ->envname("DRAIN_TIMEOUT_MS")
      ->check(CLI::Range(0, 600'000));
  app.add_option("--request-timeout-ms", config.request_timeout_ms,
                 "How long a client may take to send one whole request (default 10000; "
                 "mysfits-gateway: its load balancer's idle timeout)")
      ->envname("REQUEST_TIMEOUT_MS")
      ->check(CLI::Range(1, 600'000));
}

void parse_or_exit(CLI::App& app, int argc, char** argv) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    std::cout << app.help();
    std::exit(0);
  } catch (const CLI::CallForAllHelp&) {
    std::cout << app.help("", CLI::AppFormatMode::All);
    std::exit(0);
  } catch (const CLI::ParseError& e) {
    exit_usage_error(app.get_name(), e.what());
  }
}

void exit_usage_error(const std::string& program, const std::string& message) {
  std::string one_line = message;
  for (char& c : one_line) {
    if (c == '\n' || c == '\r')
      c = ' ';
  }
  std::cerr << program << ": " << one_line << '\n';
  std::exit(2);
}

}  // namespace mysfits::core
