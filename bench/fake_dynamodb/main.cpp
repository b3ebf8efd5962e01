// mysfits-fake-dynamodb: a fast, in-memory DynamoDB endpoint holding the mysfits table, for
// benchmarks of the monolith's DynamoDB path without the cost (or the slowness) of an emulator.
// Requests must be SigV4-signed (an Authorization header of that scheme), but the signature is
// not verified: any keys do. Plain HTTP; TLS comes from a front such as nginx
// (bench/load/run --pin puts one before it with a CA made for the run).
#include <CLI/CLI.hpp>
#include <atomic>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <memory>

#include "core/config.hpp"
#include "core/io_context.hpp"
#include "core/logging.hpp"
#include "core/service_host.hpp"
#include "core/service_routes.hpp"
#include "fake_dynamodb/fake_table.hpp"

namespace {

constexpr const char* kService = "mysfits-fake-dynamodb";
constexpr std::string_view kTargetPrefix = "DynamoDB_20120810.";

struct Config {
  mysfits::core::ServiceConfig service;
  std::string table = "MysfitsTable";
  int latency_ms = 0;
};

mysfits::core::Response dynamodb_answer(const mysfits::bench::FakeAnswer& answer,
                                        std::uint64_t request_number) {
  mysfits::core::Response response;
  response.status = answer.status;
  response.body = answer.body;
  response.content_type = "application/x-amz-json-1.0";
  response.headers.emplace_back("x-amzn-RequestId", "fake-" + std::to_string(request_number));
  return response;
}

mysfits::bench::FakeAnswer answer_to(const mysfits::core::Request& request,
                                     mysfits::bench::FakeTable& table) {
  // Signed, as DynamoDB requires; the signature itself is not checked (see above).
  if (!request.header("Authorization").starts_with("AWS4-HMAC-SHA256 ") ||
      request.header("X-Amz-Date").empty())
    return {400, R"({"__type":"com.amazon.coral.service#MissingAuthenticationTokenException",)"
                 R"("message":"Request is missing a SigV4 Authorization header"})"};
  std::string_view target = request.header("X-Amz-Target");
  if (!target.starts_with(kTargetPrefix))
    return {400, R"({"__type":"com.amazon.coral.service#UnknownOperationException"})"};
  target.remove_prefix(kTargetPrefix.size());
  return table.handle(target, request.body());
}

}  // namespace

int main(int argc, char** argv) {
  using namespace mysfits;

  Config config;
  config.service.host = "127.0.0.1";
  CLI::App app{"An in-memory DynamoDB endpoint with the mysfits table, for benchmarks.", kService};
  core::add_service_options(app, config.service);
  app.add_option("--table", config.table, "The table's name")->capture_default_str();
  app.add_option("--latency-ms", config.latency_ms,
                 "Added to every answer, as a network round trip to DynamoDB would")
      ->capture_default_str()
      ->check(CLI::Range(0, 10'000));
  core::parse_or_exit(app, argc, argv);

  core::init_logging(kService, config.service.level());
  core::ServerOptions options;
  options.cors = false;
  options.request_ids = false;
  core::ServiceHost host(kService, config.service, options);
  core::log_info("config", {{"host", config.service.host},
                            {"port", config.service.port},
                            {"threads", config.service.threads},
                            {"table", config.table},
                            {"latency_ms", config.latency_ms}});

  bench::FakeTable table(config.table, store::catalog());
  std::atomic<std::uint64_t> requests{0};
  const std::chrono::milliseconds latency(config.latency_ms);
  core::add_probe_routes(host.router(), host.server());
  host.router().post("/", [&](const core::Request& request, core::Responder responder) {
    core::Response response = dynamodb_answer(answer_to(request, table), ++requests);
    if (latency.count() == 0) {
      responder.send(std::move(response));
      return;
    }
    auto timer = std::make_unique<boost::asio::steady_timer>(core::current_io(), latency);
    auto& waiting = *timer;
    waiting.async_wait([timer = std::move(timer), responder = std::move(responder),
                        response = std::move(response)](boost::system::error_code) mutable {
      responder.send(std::move(response));
    });
  });
  host.server().set_ready(true);
  return host.run();
}
