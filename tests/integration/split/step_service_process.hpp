#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>

#include "support/http_probe.hpp"
#include "support/process.hpp"

namespace mysfits::testing {

// The real mysfits-like or mysfits-adopt on free loopback ports (public and admin), pointed
// at a monolith by MONOLITH_URL.
class StepServiceProcess {
 public:
  StepServiceProcess(std::string executable, std::string monolith_url,
                     std::map<std::string, std::string> env = {});

  // Starts the process and waits until ready_path answers 200 ("/healthz" when the monolith
  // is meant to be down); false if it never does.
  [[nodiscard]] bool start(const std::string& ready_path = "/readyz");

  std::uint16_t port() const { return port_; }
  Process& process() { return *process_; }
  std::string log() const { return process_ ? process_->log() : std::string(); }

  HttpResult post(const std::string& target, const Headers& headers = {}) const;
  HttpResult get(const std::string& target) const;
  // A value from GET /metrics on the admin port; nullopt when absent.
  std::optional<double> metric(const std::string& name) const;

 private:
  std::string executable_;
  std::map<std::string, std::string> env_;
  std::uint16_t port_ = 0;
  std::uint16_t admin_port_ = 0;
  std::optional<Process> process_;
};

// "http://127.0.0.1:port", a MONOLITH_URL.
std::string monolith_url(std::uint16_t port);

// Polls done every 20 ms until it holds or the deadline passes; the last answer.
bool poll_until(const std::function<bool()>& done,
                std::chrono::milliseconds deadline = std::chrono::seconds(15));

// Established TCP connections of process pid to 127.0.0.1:remote_port, from /proc: what the
// kernel sees, independent of the service's own accounting.
int established_connections(int pid, std::uint16_t remote_port);

}  // namespace mysfits::testing
