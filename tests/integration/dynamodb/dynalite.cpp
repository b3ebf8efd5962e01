#include "integration/dynamodb/dynalite.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <mutex>
#include <thread>

#include "store/dynamodb/sigv4.hpp"
#include "support/http_probe.hpp"

namespace mysfits::testing {

using namespace std::chrono_literals;

Dynalite::Dynalite() : port_(free_port()) {
  process_ = std::make_unique<Process>(
      "/usr/bin/env", std::vector<std::string>{"node", source_path("node_modules/dynalite/cli.js"),
                                               "--host", "127.0.0.1", "--port",
                                               std::to_string(port_), "--createTableMs", "50"});
  // Ready when it answers HTTP at all (an unsigned GET gets a 4xx from it).
  auto deadline = std::chrono::steady_clock::now() + 20s;
  while (std::chrono::steady_clock::now() < deadline && process_->running()) {
    if (http(port_, "GET", "/", "", {}, 1s).ok)
      return;
    std::this_thread::sleep_for(50ms);  // polling interval, bounded by the deadline above
  }
  ADD_FAILURE() << "dynalite did not start on port " << port_ << ":\n" << process_->log();
}

DynamoDbEmulator::DynamoDbEmulator(FaultProxyOptions options)
    : proxy_(std::make_unique<FaultProxy>(dynalite_.port(), std::move(options))) {}

namespace {

std::mutex shared_mutex;
std::unique_ptr<DynamoDbEmulator> shared;

struct StopSharedEmulator : ::testing::Environment {
  void TearDown() override {
    std::lock_guard lock(shared_mutex);
    shared.reset();
  }
};

}  // namespace

DynamoDbEmulator& shared_emulator() {
  std::lock_guard lock(shared_mutex);
  if (!shared) {
    shared = std::make_unique<DynamoDbEmulator>();
    ::testing::AddGlobalTestEnvironment(new StopSharedEmulator);
  }
  return *shared;
}

std::map<std::string, std::string> aws_test_environment(const std::string& endpoint_url) {
  return {{"AWS_ACCESS_KEY_ID", "AKIDMYSFITSTEST"},
          {"AWS_SECRET_ACCESS_KEY", "mysfits-test-secret"},
          {"AWS_SESSION_TOKEN", "mysfits-test-session"},
          {"AWS_REGION", "us-east-1"},
          {"AWS_EC2_METADATA_DISABLED", "true"},
          {"AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials"},
          {"AWS_ENDPOINT_URL_DYNAMODB", endpoint_url},
          // Empty counts as unset: nothing of the machine's own AWS setup leaks in.
          {"AWS_PROFILE", ""},
          {"AWS_ROLE_ARN", ""},
          {"AWS_WEB_IDENTITY_TOKEN_FILE", ""},
          {"AWS_CONTAINER_CREDENTIALS_FULL_URI", ""},
          {"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", ""}};
}

DirectClient::DirectClient(const std::string& url) {
  namespace ddb = store::dynamodb;
  auto env = aws_test_environment(url);
  chain_ = ddb::credentials::Chain::standard(
      ddb::credentials::fixed_environment({env.begin(), env.end()}));
  ddb::ClientSettings settings;
  settings.endpoint_url = url;
  settings.deadline = 10s;
  settings.attempt_timeout = 5s;
  client_ = std::move(*ddb::DynamoDbClient::create(settings, *chain_));
}

boost::json::object DirectClient::call(const char* operation, boost::json::object request) {
  auto reply = client_->call_blocking(operation, std::move(request));
  EXPECT_TRUE(reply.result.ok()) << operation << ": " << reply.result.error().message;
  return reply.result.ok() ? *reply.result : boost::json::object{};
}

HttpResult signed_request(const std::string& url, const std::string& operation,
                          const std::string& body, const std::string& secret_access_key) {
  namespace ddb = store::dynamodb;
  auto port = static_cast<std::uint16_t>(std::stoi(url.substr(url.rfind(':') + 1)));
  ddb::SignableRequest signable;
  signable.method = "POST";
  signable.headers = {{"Host", "127.0.0.1:" + std::to_string(port)},
                      {"Content-Type", "application/x-amz-json-1.0"},
                      {"X-Amz-Target", "DynamoDB_20120810." + operation}};
  signable.payload = body;
  auto env = aws_test_environment(url);
  ddb::sign(signable, {env["AWS_ACCESS_KEY_ID"], secret_access_key, env["AWS_SESSION_TOKEN"]},
            {env["AWS_REGION"], "dynamodb"}, std::chrono::system_clock::now());
  Headers headers;
  for (auto& header : signable.headers) {
    if (header.first != "Host")
      headers.push_back(std::move(header));
  }
  return http(port, "POST", "/", body, headers);
}

int run_seed(const std::string& endpoint_url, const std::string& table, std::string* output) {
  Process seed(bin_path("mysfits"), {"seed", "--table", table}, aws_test_environment(endpoint_url));
  auto code = seed.wait(60s);
  if (output != nullptr)
    *output = seed.log();
  return code.value_or(-1);
}

DynamoMonolith::DynamoMonolith(const std::string& endpoint_url, const std::string& table,
                               std::map<std::string, std::string> extra)
    : port_(free_port()) {
  auto env = aws_test_environment(endpoint_url);
  env["DDB_TABLE_NAME"] = table;
  env["HOST"] = "127.0.0.1";
  env["PORT"] = std::to_string(port_);
  env["THREADS"] = "2";
  for (auto& [key, value] : extra)
    env[key] = value;
  process_ =
      std::make_unique<Process>(bin_path("mysfits-monolith"), std::vector<std::string>{}, env);
  if (!wait_ready(port_, "/readyz", 20s, process_.get()))
    ADD_FAILURE() << "monolith on DynamoDB not ready:\n" << process_->log();
}

}  // namespace mysfits::testing
