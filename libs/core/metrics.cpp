#include "core/metrics.hpp"

#include <fmt/format.h>

namespace mysfits::core {

void Metrics::RequestSeries::observe(int status, double seconds) {
  if (status >= 100 && status < 600)
    by_status_[status].fetch_add(1, std::memory_order_relaxed);
  std::size_t b = 0;
  while (b < kLatencyBuckets.size() && seconds > kLatencyBuckets[b])
    ++b;
  buckets_[b].fetch_add(1, std::memory_order_relaxed);
  sum_micros_.fetch_add(static_cast<std::uint64_t>(seconds * 1e6), std::memory_order_relaxed);
}

Metrics::Metrics(std::string service) : service_(std::move(service)) {}

Metrics::RequestSeries* Metrics::series(std::string_view route_label) {
  std::lock_guard lock(mutex_);
  for (auto& s : series_) {
    if (s->label_ == route_label)
      return s.get();
  }
  series_.push_back(std::make_unique<RequestSeries>());
  series_.back()->label_ = std::string(route_label);
  return series_.back().get();
}

void Metrics::add_gauge(std::string name, std::string help, std::function<double()> read) {
  std::lock_guard lock(mutex_);
  gauges_.push_back(Gauge{std::move(name), std::move(help), std::move(read)});
}

namespace {
// Label values may contain '"' or '\' in principle; escape per the exposition format.
std::string escape_label(std::string_view v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"')
      out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}
}  // namespace

std::string Metrics::render() const {
  std::lock_guard lock(mutex_);
  std::string out;
  auto svc = escape_label(service_);
  out += "# HELP mysfits_http_requests_total HTTP requests answered, by route and status.\n";
  out += "# TYPE mysfits_http_requests_total counter\n";
  for (const auto& s : series_) {
    auto route = escape_label(s->label_);
    for (int code = 100; code < 600; ++code) {
      auto n = s->by_status_[code].load(std::memory_order_relaxed);
      if (n == 0)
        continue;
      out += fmt::format(
          "mysfits_http_requests_total{{service=\"{}\",route=\"{}\",status=\"{}\"}} {}\n", svc,
          route, code, n);
    }
  }
  out +=
      "# HELP mysfits_http_request_duration_seconds Time from request read to response "
      "ready.\n";
  out += "# TYPE mysfits_http_request_duration_seconds histogram\n";
  for (const auto& s : series_) {
    auto route = escape_label(s->label_);
    std::uint64_t cumulative = 0;
    for (std::size_t b = 0; b <= kLatencyBuckets.size(); ++b) {
      cumulative += s->buckets_[b].load(std::memory_order_relaxed);
      std::string le = b < kLatencyBuckets.size() ? fmt::format("{}", kLatencyBuckets[b]) : "+Inf";
      out += fmt::format(
          "mysfits_http_request_duration_seconds_bucket{{service=\"{}\",route=\"{}\",le=\"{}\"}} "
          "{}\n",
          svc, route, le, cumulative);
    }
    out += fmt::format(
        "mysfits_http_request_duration_seconds_sum{{service=\"{}\",route=\"{}\"}} {}\n", svc, route,
        static_cast<double>(s->sum_micros_.load(std::memory_order_relaxed)) / 1e6);
    out += fmt::format(
        "mysfits_http_request_duration_seconds_count{{service=\"{}\",route=\"{}\"}} {}\n", svc,
        route, cumulative);
  }
  for (const auto& g : gauges_) {
    out += fmt::format("# HELP {} {}\n# TYPE {} gauge\n{}{{service=\"{}\"}} {}\n", g.name, g.help,
                       g.name, g.name, svc, g.read());
  }
  return out;
}

}  // namespace mysfits::core
