#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/logging.hpp"

namespace CLI {
class App;
}

namespace mysfits::core {

// The settings every service shares. Environment first, flags override (CLI11 envname), as
// docs/api.md's settings table says.
struct ServiceConfig {
  std::string host = "0.0.0.0";    // HOST / --host
  std::uint16_t port = 8080;       // PORT / --port
  std::uint16_t admin_port = 0;    // ADMIN_PORT / --admin-port (0: off)
  std::string log_level = "info";  // LOG_LEVEL / --log-level
  int threads = 0;                 // THREADS / --threads (0: CpuAllowance::worker_threads)
  int drain_timeout_ms = 20'000;   // DRAIN_TIMEOUT_MS / --drain-timeout-ms
  // REQUEST_TIMEOUT_MS / --request-timeout-ms: first byte to last byte of a request; a client
  // that sends half a request and stops is cut off here (ServerLimits::request_timeout). Unset:
  // the executable's default (10 s; the gateway's is its load balancer's idle timeout).
  std::optional<int> request_timeout_ms;

  LogLevel level() const;
};

void add_service_options(CLI::App& app, ServiceConfig& config);

// Parses argv. --help prints usage and exits 0; any error prints one line
// "<program>: <message>" on stderr and exits 2.
void parse_or_exit(CLI::App& app, int argc, char** argv);

// A start-up error that is the user's to fix: one line on stderr, exit 2.
[[noreturn]] void exit_usage_error(const std::string& program, const std::string& message);

}  // namespace mysfits::core
