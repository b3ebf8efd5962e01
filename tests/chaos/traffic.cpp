#include "chaos/traffic.hpp"

#include <algorithm>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <cmath>
#include <mutex>
#include <random>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace mysfits::chaos {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace json = boost::json;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

enum class Op { kRead, kLike, kAdopt };

struct Outcome {
  int status = 0;  // 0: transport error
  std::string error;
};

// One keep-alive connection, reopened after any error, every step under a deadline.
class Connection {
 public:
  Connection(asio::any_io_executor ex, const TrafficOptions& options)
      : stream_(ex), options_(options) {}

  asio::awaitable<Outcome> exchange(http::verb verb, std::string target) {
    Outcome out;
    try {
      if (!stream_.socket().is_open()) {
        stream_.expires_after(options_.request_timeout);
        tcp::endpoint ep(asio::ip::make_address(options_.host), options_.port);
        co_await stream_.async_connect(ep, asio::use_awaitable);
      }
      http::request<http::string_body> req{verb, target, 11};
      req.set(http::field::host, options_.host);
      if (verb == http::verb::post)
        req.prepare_payload();
      stream_.expires_after(options_.request_timeout);
      co_await http::async_write(stream_, req, asio::use_awaitable);
      http::response<http::string_body> res;
      co_await http::async_read(stream_, buffer_, res, asio::use_awaitable);
      out.status = static_cast<int>(res.result_int());
      if (!res.keep_alive())
        close();
    } catch (const std::exception& e) {
      out.status = 0;
      out.error = e.what();
      close();
    }
    co_return out;
  }

 private:
  void close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.socket().close(ignored);
    buffer_.clear();
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  const TrafficOptions& options_;
};

struct Shared {
  std::mutex mutex;
  TrafficReport report;
};

void record(Shared& shared, Op op, const std::string& id, const Outcome& out, double ms) {
  std::lock_guard lock(shared.mutex);
  TrafficReport& r = shared.report;
  ++r.requests;
  ++r.by_status[out.status];
  r.latencies_ms.push_back(ms);
  bool failed = out.status == 0 || out.status >= 500;
  if (failed) {
    ++r.failed;
    if (r.first_errors.size() < 10)
      r.first_errors.push_back((out.status ? std::to_string(out.status) : out.error) + " on " + id);
  }
  if (op == Op::kLike) {
    if (out.status == 200)
      ++r.likes_acknowledged[id];
    if (failed)
      ++r.likes_failed[id];
  } else if (op == Op::kAdopt) {
    if (out.status == 200)
      r.adopts_acknowledged.insert(id);
    if (failed)
      r.adopts_failed.insert(id);
  }
}

asio::awaitable<void> worker(int index, const TrafficOptions& options,
                             const std::vector<std::string>& ids, const std::atomic<bool>* stop,
                             Clock::time_point deadline, Shared& shared) {
  auto ex = co_await asio::this_coro::executor;
  Connection connection(ex, options);
  std::mt19937 rng(static_cast<unsigned>(index * 7919 + 17));
  std::uniform_int_distribution<int> percent(0, 99);
  std::uniform_int_distribution<std::size_t> pick(0, ids.size() - 1);
  // Open-loop pacing per connection: request k is due at start + k * interval, and its latency
  // counts from then, so a slow answer is hidden neither by sending fewer requests nor by
  // timing the requests queued behind it from when they finally went out (the
  // coordinated-omission trap).
  const double per_connection = options.rate / options.connections;
  const auto interval = per_connection > 0
                            ? std::chrono::duration_cast<Clock::duration>(
                                  std::chrono::duration<double>(1.0 / per_connection))
                            : Clock::duration::zero();
  auto next = Clock::now() + interval * index / std::max(1, options.connections);
  asio::steady_timer timer(ex);
  while (Clock::now() < deadline && !(stop && stop->load())) {
    auto started = Clock::now();
    if (interval.count() > 0) {
      if (next > started) {
        timer.expires_at(next);
        co_await timer.async_wait(asio::use_awaitable);
      }
      started = next;
      next += interval;
    }
    int roll = percent(rng);
    const std::string& id = ids[pick(rng)];
    Op op = roll < options.read_percent                          ? Op::kRead
            : roll < options.read_percent + options.like_percent ? Op::kLike
                                                                 : Op::kAdopt;
    Outcome out;
    if (op == Op::kRead)
      out = co_await connection.exchange(http::verb::get, "/mysfits/" + id);
    else
      out = co_await connection.exchange(http::verb::post,
                                         "/mysfits/" + id + (op == Op::kLike ? "/like" : "/adopt"));
    double ms = std::chrono::duration<double, std::milli>(Clock::now() - started).count();
    record(shared, op, id, out, ms);
  }
}

json::value get_json(const std::string& host, std::uint16_t port, const std::string& target) {
  asio::io_context ioc;
  beast::tcp_stream stream(ioc);
  stream.expires_after(std::chrono::seconds(5));
  stream.connect(tcp::endpoint(asio::ip::make_address(host), port));
  http::request<http::empty_body> req{http::verb::get, target, 11};
  req.set(http::field::host, host);
  http::write(stream, req);
  beast::flat_buffer buffer;
  http::response<http::string_body> res;
  http::read(stream, buffer, res);
  if (res.result_int() != 200)
    throw std::runtime_error("GET " + target + " answered " + std::to_string(res.result_int()));
  return json::parse(res.body());
}

}  // namespace

double TrafficReport::percentile(double p) const {
  if (latencies_ms.empty())
    return 0;
  auto index = static_cast<std::size_t>(std::ceil(p / 100.0 * latencies_ms.size())) - 1;
  return latencies_ms[std::min(index, latencies_ms.size() - 1)];
}

double TrafficReport::throughput() const {
  return elapsed.count() > 0 ? requests * 1000.0 / static_cast<double>(elapsed.count()) : 0;
}

Snapshot snapshot(const std::string& host, std::uint16_t port) {
  Snapshot result;
  json::value list = get_json(host, port, "/mysfits");
  for (const auto& summary : list.at("mysfits").as_array()) {
    std::string id(summary.at("mysfitId").as_string());
    json::value profile = get_json(host, port, "/mysfits/" + id);
    result[id] =
        MysfitState{profile.at("likes").to_number<std::int64_t>(), profile.at("adopted").as_bool()};
  }
  return result;
}

TrafficReport run_traffic(const TrafficOptions& options, const std::vector<std::string>& ids,
                          const std::atomic<bool>* stop) {
  if (ids.empty())
    throw std::invalid_argument("no mysfit ids to send traffic to");
  asio::io_context ioc;
  Shared shared;
  auto started = Clock::now();
  auto deadline = started + options.duration;
  // Two threads: enough to keep a few hundred connections busy without competing with the
  // system under test for the machine's cores. Each connection on its own strand: Beast
  // requires every handler of a tcp_stream, its timeout timer's among them (which runs even when
  // cancelled), to run in one strand, never on one thread while the next operation starts on
  // the other.
  for (int i = 0; i < options.connections; ++i)
    asio::co_spawn(asio::make_strand(ioc), worker(i, options, ids, stop, deadline, shared),
                   asio::detached);
  std::thread helper([&] { ioc.run(); });
  ioc.run();
  helper.join();
  TrafficReport report = std::move(shared.report);
  report.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
  std::sort(report.latencies_ms.begin(), report.latencies_ms.end());
  return report;
}

std::future<TrafficReport> start_traffic(const TrafficOptions& options, const Snapshot& ids_from,
                                         const std::atomic<bool>& stop) {
  std::vector<std::string> ids;
  for (const auto& [id, state] : ids_from)
    ids.push_back(id);
  return std::async(std::launch::async, [options, ids = std::move(ids), &stop] {
    return run_traffic(options, ids, &stop);
  });
}

}  // namespace mysfits::chaos
