#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "support/process.hpp"

namespace mysfits::testing {

// dynalite (an in-memory DynamoDB implementation, node_modules/dynalite) on a free loopback
// port, ready when constructed, stopped (process group killed) when destroyed.
class Dynalite {
 public:
  Dynalite();
  std::uint16_t port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  std::uint16_t port_;
  std::unique_ptr<Process> process_;
};

// The environment a DynamoDB-backed process needs to reach endpoint_url with test keys (a
// session token too, so that its signing path runs) and nothing from the machine's own AWS
// setup: no ~/.aws, no IMDS.
std::map<std::string, std::string> aws_test_environment(const std::string& endpoint_url);

// Runs `mysfits seed --table table` against endpoint_url to completion; returns its exit code
// and fills output with what it printed.
int run_seed(const std::string& endpoint_url, const std::string& table, std::string* output);

// A monolith on DynamoDB table at endpoint_url (extra entries override the environment),
// ready when constructed.
class DynamoMonolith {
 public:
  DynamoMonolith(const std::string& endpoint_url, const std::string& table,
                 std::map<std::string, std::string> extra = {});
  std::uint16_t port() const { return port_; }
  Process& process() { return *process_; }

 private:
  std::uint16_t port_;
  std::unique_ptr<Process> process_;
};

}  // namespace mysfits::testing
