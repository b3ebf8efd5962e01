#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace mysfits::core {

// Prometheus text metrics. Series are created once (under a lock) and then updated with
// relaxed atomics, so the request path never takes a lock.
class Metrics {
 public:
  static constexpr std::array<double, 12> kLatencyBuckets = {
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5};

  class RequestSeries {
   public:
    void observe(int status, double seconds);

   private:
    friend class Metrics;
    std::string label_;
    std::array<std::atomic<std::uint64_t>, 600> by_status_{};
    std::array<std::atomic<std::uint64_t>, kLatencyBuckets.size() + 1> buckets_{};
    std::atomic<std::uint64_t> sum_micros_{0};
  };

  explicit Metrics(std::string service);

  // Stable pointer for a route label ("GET /mysfits/{id}"); look it up once, then observe().
  RequestSeries* series(std::string_view route_label);

  // A gauge or counter owned by someone else (connections, pool sizes, health): read at scrape.
  void add_gauge(std::string name, std::string help, std::function<double()> read);

  std::string render() const;  // text exposition format 0.0.4

 private:
  std::string service_;
  mutable std::mutex mutex_;
  std::vector<std::unique_ptr<RequestSeries>> series_;
  struct Gauge {
    std::string name;
    std::string help;
    std::function<double()> read;
  };
  std::vector<Gauge> gauges_;
};

}  // namespace mysfits::core
