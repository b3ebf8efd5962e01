#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/http_client.hpp"
#include "core/http_server.hpp"

namespace mysfits::testing {

// An HTTP proxy in front of dynalite that misbehaves on request: answers the next N requests
// with DynamoDB's throttling error, or with a 500, or with a 4xx verdict, or never answers at
// all. Requests for the monolith's readiness probe pass untouched, so background pings never
// eat the faults a test injects.
class FaultProxy {
 public:
  explicit FaultProxy(std::uint16_t upstream_port);
  ~FaultProxy();
  FaultProxy(const FaultProxy&) = delete;
  FaultProxy& operator=(const FaultProxy&) = delete;

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

  std::atomic<int> throttle_next{0};
  std::atomic<int> fail_next{0};
  std::atomic<int> reject_next{0};  // 400 ValidationException: must not be retried
  std::atomic<bool> stall{false};
  std::atomic<int> injected{0};
  std::atomic<int> forwarded{0};

 private:
  void handle(const core::Request& request, core::Responder responder);

  core::Router router_;
  std::unique_ptr<core::HttpServer> server_;
  std::unique_ptr<core::HttpClient> upstream_;
  std::uint16_t port_ = 0;
  std::thread thread_;
  std::mutex stalled_mutex_;
  std::vector<core::Responder> stalled_;
};

}  // namespace mysfits::testing
