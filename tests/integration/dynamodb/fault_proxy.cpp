#include "integration/dynamodb/fault_proxy.hpp"

#include <memory>

namespace mysfits::testing {
namespace {

core::Response dynamodb_error(int status, const std::string& type, const std::string& message) {
  core::Response response =
      core::Response::json(status, R"({"__type":"com.amazonaws.dynamodb.v20120810#)" + type +
                                       R"(","message":")" + message + "\"}");
  response.content_type = "application/x-amz-json-1.0";
  response.headers.emplace_back("x-amzn-RequestId", "FAULT-PROXY-REQUEST-ID");
  return response;
}

// Takes one unit from counter when it has one.
bool take(std::atomic<int>& counter) {
  for (int n = counter.load(); n > 0;) {
    if (counter.compare_exchange_weak(n, n - 1))
      return true;
  }
  return false;
}

}  // namespace

FaultProxy::FaultProxy(std::uint16_t upstream_port) {
  upstream_ =
      std::make_unique<core::HttpClient>(core::Endpoint{"http", "127.0.0.1", upstream_port});
  router_.fallback([this](const core::Request& request, core::Responder responder) {
    handle(request, std::move(responder));
  });
  core::ServerOptions options;
  options.threads = 2;
  options.drain_timeout = std::chrono::milliseconds(500);
  options.request_ids = false;
  server_ = std::make_unique<core::HttpServer>(options);
  port_ = server_->listen("127.0.0.1", 0, router_);
  thread_ = std::thread([this] { server_->run(); });
}

FaultProxy::~FaultProxy() {
  {
    std::lock_guard lock(stalled_mutex_);
    stalled_.clear();  // each answers 500 as it goes
  }
  server_->shutdown();
  thread_.join();
}

void FaultProxy::handle(const core::Request& request, core::Responder responder) {
  bool probe = request.body().find("readiness-probe") != std::string_view::npos;
  if (!probe) {
    if (stall) {
      ++injected;
      std::lock_guard lock(stalled_mutex_);
      stalled_.push_back(std::move(responder));
      return;
    }
    if (take(throttle_next)) {
      ++injected;
      responder.send(
          dynamodb_error(400, "ProvisionedThroughputExceededException", "injected throttling"));
      return;
    }
    if (take(fail_next)) {
      ++injected;
      responder.send(dynamodb_error(500, "InternalServerError", "injected failure"));
      return;
    }
    if (take(reject_next)) {
      ++injected;
      responder.send(dynamodb_error(400, "ValidationException", "injected verdict"));
      return;
    }
    ++forwarded;
  }
  core::ClientRequest forward;
  forward.method = std::string(request.method());
  forward.target = std::string(request.target());
  forward.body = std::string(request.body());
  request.for_each_header([&forward](std::string_view name, std::string_view value) {
    std::string lower(name);
    for (char& c : lower)
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower != "host" && lower != "content-length" && lower != "connection")
      forward.headers.emplace_back(std::string(name), std::string(value));
  });
  upstream_->send(std::move(forward), [responder = std::move(responder)](
                                          core::Result<core::ClientResponse> answer) mutable {
    if (!answer) {
      responder.send(core::Response::error(502, "bad_gateway", answer.error().message));
      return;
    }
    core::Response response;
    response.status = answer->status;
    response.body = std::move(answer->body);
    response.content_type = std::string(answer->header("Content-Type"));
    if (auto id = answer->header("x-amzn-RequestId"); !id.empty())
      response.headers.emplace_back("x-amzn-RequestId", std::string(id));
    responder.send(std::move(response));
  });
}

}  // namespace mysfits::testing
