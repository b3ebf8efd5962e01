#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "support/process.hpp"

namespace mysfits::testing {

// A running piece of the system, started from build/bin on free loopback ports, stopped (the
// whole process group) when destroyed. port() is the public edge under test; data_port() the
// monolith, where the data can always be read back.
class SystemUnderTest {
 public:
  std::uint16_t port() const { return edge_port_; }
  std::uint16_t data_port() const { return monolith_port_; }
  bool alive();
  // The edge's process (the gateway, a service or the monolith itself).
  Process& edge() { return processes_.back(); }
  Process& monolith() { return processes_.front(); }
  // By role: "monolith", "like", "adopt", "gateway".
  Process& process(const std::string& role);

 private:
  friend std::unique_ptr<SystemUnderTest> start_system(const std::string& edge);
  std::vector<Process> processes_;  // the monolith first, the edge last
  std::vector<std::string> roles_;  // parallel to processes_
  std::uint16_t edge_port_ = 0;
  std::uint16_t monolith_port_ = 0;
};

// "monolith": the monolith alone. "like"/"adopt": the service in front of a monolith.
// "gateway": the like-adopt stage behind the gateway, as `mysfits up` runs it.
// nullptr when a process did not become ready.
std::unique_ptr<SystemUnderTest> start_system(const std::string& edge);

// The edges the suite checks.
std::vector<const char*> public_edges();

}  // namespace mysfits::testing
