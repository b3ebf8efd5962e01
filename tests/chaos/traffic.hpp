#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <future>
#include <map>
#include <set>
#include <string>
#include <vector>

// Mixed API traffic against a running system (gateway or service) with an audit of every write:
// the chaos suite, the migration test and the soak command all judge the system by it.
namespace mysfits::chaos {

struct TrafficOptions {
  std::string host = "127.0.0.1";  // loopback only: this tool never targets another machine
  std::uint16_t port = 8080;
  std::chrono::milliseconds duration{5'000};
  int connections = 8;
  double rate = 0;  // requests per second over all connections; 0: as fast as answered
  int read_percent = 80;
  int like_percent = 15;  // the rest are adopts
  std::chrono::milliseconds request_timeout{5'000};
};

// What one mysfit looked like through the API.
struct MysfitState {
  std::int64_t likes = 0;
  bool adopted = false;
};
using Snapshot = std::map<std::string, MysfitState>;

struct TrafficReport {
  std::uint64_t requests = 0;
  std::uint64_t failed = 0;                // transport errors and 5xx: outcome unknown for writes
  std::map<int, std::uint64_t> by_status;  // 0: transport error
  std::map<std::string, std::uint64_t> likes_acknowledged;  // 200 answers per id
  std::map<std::string, std::uint64_t> likes_failed;        // unknown outcome per id
  std::set<std::string> adopts_acknowledged;
  std::set<std::string> adopts_failed;
  std::vector<double> latencies_ms;       // sorted after run_traffic returns
  std::vector<std::string> first_errors;  // a few, for the log
  std::chrono::milliseconds elapsed{0};

  double percentile(double p) const;
  double throughput() const;
};

// Reads every mysfit's likes and adopted state (GET /mysfits then GET /mysfits/{id}).
// Throws std::runtime_error when the system does not answer.
Snapshot snapshot(const std::string& host, std::uint16_t port);

// Runs the traffic until the duration passes or stop becomes true; ids are the mysfits to use.
TrafficReport run_traffic(const TrafficOptions& options, const std::vector<std::string>& ids,
                          const std::atomic<bool>* stop = nullptr);

// run_traffic on a thread of its own over every mysfit of ids_from, until stop becomes true (or
// options.duration passes): the load that tests run while they change the system.
std::future<TrafficReport> start_traffic(const TrafficOptions& options, const Snapshot& ids_from,
                                         const std::atomic<bool>& stop);

// Checks that the writes in `after` are exactly those the traffic caused: every acknowledged
// like counted once, every acknowledged adopt adopted, and nothing else changed beyond the
// requests whose outcome is unknown. Returns the problems found (empty: the audit passed).
std::vector<std::string> audit(const Snapshot& before, const Snapshot& after,
                               const TrafficReport& report);

// One paragraph for people and one JSON object for tools.
std::string describe(const TrafficReport& report);
std::string to_json(const TrafficReport& report, const std::vector<std::string>& problems);

}  // namespace mysfits::chaos
