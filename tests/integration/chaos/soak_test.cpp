// The soak: mixed traffic through the gateway at about 70% of the capacity measured at the
// start, in windows, with every write audited, zero failures, and each process's memory and
// open descriptors flat after warm-up. Short in the test command; `tests/chaos/soak SECONDS`
// runs the long form (MYSFITS_SOAK_SECONDS).
#include <gtest/gtest.h>
#include <signal.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>

#include "chaos/traffic.hpp"
#include "integration/cli/running_up.hpp"

namespace mysfits::testing {
namespace {

using namespace std::chrono_literals;

struct Usage {
  long rss_kb = 0;
  long fds = 0;
};

Usage usage_of(pid_t pid) {
  Usage u;
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);)
    if (line.rfind("VmRSS:", 0) == 0)
      u.rss_kb = std::atol(line.c_str() + 6);
  std::error_code ec;
  for (auto it = std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/fd", ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec))
    ++u.fds;
  return u;
}

std::map<std::string, Usage> usage_by_child(const RunningUp& up) {
  std::map<std::string, Usage> out;
  for (const auto& child : children_of(up.state()))
    if (child.pid > 0)
      out[child.name] = usage_of(child.pid);
  return out;
}

// Under AddressSanitizer a freed block waits in a quarantine (up to 256 MiB) before it is reused,
// so resident memory grows with the requests served whatever the program does: the figure is
// the sanitizer's, not ours. There the flatness of memory is the plain build's check, and leaks
// are LeakSanitizer's at each child's exit; descriptors are checked in both.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kResidentMemoryIsOurs = false;
#else
constexpr bool kResidentMemoryIsOurs = true;
#endif

int soak_seconds() {
  const char* env = std::getenv("MYSFITS_SOAK_SECONDS");
  int seconds = env ? std::atoi(env) : 0;
  return seconds > 0 ? seconds : 8;
}

TEST(Soak, SeventyPercentOfCapacityWithNoFailureNoLostWriteAndFlatResources) {
  RunningUp up({"--stage", "like-adopt", "--replicas", "2"});
  ASSERT_TRUE(up.wait_serving()) << up.process().log();
  auto ids_snapshot = chaos::snapshot("127.0.0.1", up.port());
  std::vector<std::string> ids;
  for (const auto& [id, state] : ids_snapshot)
    ids.push_back(id);

  // Capacity: as fast as answered, briefly; this also warms every pool and cache.
  chaos::TrafficOptions probe;
  probe.port = up.port();
  probe.connections = 16;
  probe.duration = 2s;
  auto capacity = chaos::run_traffic(probe, ids);
  ASSERT_EQ(capacity.failed, 0u) << chaos::describe(capacity);
  std::cout << "capacity: " << chaos::describe(capacity) << '\n';

  chaos::TrafficOptions load = probe;
  load.rate = 0.7 * capacity.throughput();
  const int total = soak_seconds();
  const int windows = std::max(2, total / 4);
  load.duration = std::chrono::milliseconds(total * 1000 / windows);

  auto before = chaos::snapshot("127.0.0.1", up.port());
  std::map<std::string, Usage> warm;
  std::map<std::string, Usage> last;
  std::uint64_t requests = 0;
  std::uint64_t failed = 0;
  chaos::TrafficReport all;
  for (int w = 0; w < windows; ++w) {
    auto report = chaos::run_traffic(load, ids);
    requests += report.requests;
    failed += report.failed;
    for (const auto& [id, n] : report.likes_acknowledged)
      all.likes_acknowledged[id] += n;
    for (const auto& [id, n] : report.likes_failed)
      all.likes_failed[id] += n;
    all.adopts_acknowledged.insert(report.adopts_acknowledged.begin(),
                                   report.adopts_acknowledged.end());
    all.adopts_failed.insert(report.adopts_failed.begin(), report.adopts_failed.end());
    last = usage_by_child(up);
    if (w == 0)
      warm = last;
    std::cout << "window " << w + 1 << "/" << windows << ": " << chaos::describe(report) << '\n';
  }
  auto after = chaos::snapshot("127.0.0.1", up.port());
  auto problems = chaos::audit(before, after, all);
  EXPECT_TRUE(problems.empty()) << problems.front();
  EXPECT_EQ(failed, 0u) << "of " << requests;

  for (const auto& [name, end] : last) {
    const Usage& start = warm[name];
    std::cout << name << ": RSS " << start.rss_kb << " -> " << end.rss_kb << " kB, fds "
              << start.fds << " -> " << end.fds << '\n';
    // Flat: what a warmed-up process holds may wobble with allocator caches, not grow with
    // the number of requests served.
    if (kResidentMemoryIsOurs) {
      EXPECT_LE(end.rss_kb, start.rss_kb + start.rss_kb / 5 + 4096) << name << " memory grew";
    }
    EXPECT_LE(end.fds, start.fds + 16) << name << " descriptors grew";
  }
  EXPECT_EQ(up.process().signal_and_wait(SIGTERM, 30s), 0) << up.process().log();
}

}  // namespace
}  // namespace mysfits::testing
