#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "integration/dynamodb/fault_proxy.hpp"
#include "store/dynamodb/credentials/chain.hpp"
#include "store/dynamodb/dynamodb_client.hpp"
#include "support/http_probe.hpp"
#include "support/process.hpp"

namespace mysfits::testing {

// dynalite (an in-memory DynamoDB implementation, node_modules/dynalite) on a free loopback
// port, ready when constructed, stopped (process group killed) when destroyed.
class Dynalite {
 public:
  Dynalite();
  std::uint16_t port() const { return port_; }

 private:
  std::uint16_t port_;
  std::unique_ptr<Process> process_;
};

// DynamoDB as the tests know it: dynalite behind a FaultProxy, which adds what dynalite lacks
// (transactions with idempotency tokens, signature checks, the write limit of one item) and
// injects the faults a test asks its proxy() for. url() is the endpoint to give the store.
class DynamoDbEmulator {
 public:
  explicit DynamoDbEmulator(FaultProxyOptions options = {});
  std::string url() const { return proxy_->url(); }
  std::uint16_t port() const { return proxy_->port(); }
  FaultProxy& proxy() { return *proxy_; }

 private:
  Dynalite dynalite_;
  std::unique_ptr<FaultProxy> proxy_;
};

// The environment a DynamoDB-backed process needs to reach endpoint_url with test keys (a
// session token too, so that its signing path runs) and nothing from the machine's own AWS
// setup: no ~/.aws, no IMDS.
std::map<std::string, std::string> aws_test_environment(const std::string& endpoint_url);

// One emulator for every test of this process that wants to share one, started on first use.
// It is stopped when the tests end (a gtest environment), not by a static destructor at exit:
// by then OpenSSL may have cleaned up, and the threads the proxy joins would leak the OpenSSL
// state it frees for each thread as it ends.
DynamoDbEmulator& shared_emulator();

// A DynamoDB client of our own with the test keys, to build and inspect tables the way other
// tools would. call() expects success; client() gives the whole Reply.
struct DirectClient {
  explicit DirectClient(const std::string& url);
  boost::json::object call(const char* operation, boost::json::object request);
  store::dynamodb::DynamoDbClient& client() { return *client_; }

 private:
  std::unique_ptr<store::dynamodb::credentials::Chain> chain_;
  std::unique_ptr<store::dynamodb::DynamoDbClient> client_;
};

// One request signed with the test keys and sent as it is: no retry, the raw answer.
HttpResult signed_request(const std::string& url, const std::string& operation,
                          const std::string& body,
                          const std::string& secret_access_key = "mysfits-test-secret");

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
