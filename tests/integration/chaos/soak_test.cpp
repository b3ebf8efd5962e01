// The soak: mixed traffic through the gateway at about 70% of the capacity measured at the
// start, in windows, with every write audited, zero failures, and each process's memory and
// open descriptors flat after warm-up. Short in the test command; `tests/chaos/soak SECONDS`
// runs the long form (MYSFITS_SOAK_SECONDS).
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include "chaos/traffic.hpp"
#include "integration/cli/running_up.hpp"

namespace mysfits::testing {
namespace {

using namespace std::chrono_literals;

struct Usage {
  long rss_kb = 0;
  long fds = 0;
  long pooled = 0;  // of fds: keep-alive connections to another child (a client pool's)
};

// Socket inode -> remote port of every TCP connection in the process's network namespace.
std::map<std::string, int> remote_ports(pid_t pid) {
  std::map<std::string, int> out;
  for (const char* table : {"/net/tcp", "/net/tcp6"}) {
    std::ifstream in("/proc/" + std::to_string(pid) + table);
    std::string line;
    std::getline(in, line);  // the header
    while (std::getline(in, line)) {
      std::istringstream fields(line);
      std::string slot, local, remote, state, queues, timer, retransmits, uid, timeout, inode;
      fields >> slot >> local >> remote >> state >> queues >> timer >> retransmits >> uid >>
          timeout >> inode;
      const auto colon = remote.rfind(':');
      if (colon != std::string::npos)
        out[inode] = std::stoi(remote.substr(colon + 1), nullptr, 16);
    }
  }
  return out;
}

// A client pool may grow up to the requests in flight and keeps what it opened (the ALB and our
// clients keep connections to targets alive), so connections to another child's port are
// counted apart: what must stay flat is the rest.
Usage usage_of(pid_t pid, const std::set<int>& child_ports) {
  Usage u;
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);)
    if (line.rfind("VmRSS:", 0) == 0)
      u.rss_kb = std::atol(line.c_str() + 6);
  const auto ports = remote_ports(pid);
  std::error_code ec;
  for (auto it = std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/fd", ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
    ++u.fds;
    std::error_code link_ec;
    const auto target = std::filesystem::read_symlink(it->path(), link_ec).string();
    if (link_ec || !target.starts_with("socket:["))
      continue;
    const auto port = ports.find(target.substr(8, target.size() - 9));
    u.pooled += port != ports.end() && child_ports.count(port->second) > 0 ? 1 : 0;
  }
  return u;
}

std::map<std::string, Usage> usage_by_child(const RunningUp& up) {
  std::set<int> ports;
  const auto children = children_of(up.state());
  for (const auto& child : children)
    ports.insert(child.port);
  std::map<std::string, Usage> out;
  for (const auto& child : children)
    if (child.pid > 0)
      out[child.name] = usage_of(child.pid, ports);
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

// Worker threads of a child: one per CPU (this machine's), at most.
const long kMaxWorkers = std::max(1L, static_cast<long>(std::thread::hardware_concurrency()));

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

  const long children_count = static_cast<long>(last.size());
  for (const auto& [name, end] : last) {
    const Usage& start = warm[name];
    std::cout << name << ": RSS " << start.rss_kb << " -> " << end.rss_kb << " kB, fds "
              << start.fds << " -> " << end.fds << " (of which pooled connections to other "
              << "children " << start.pooled << " -> " << end.pooled << ")\n";
    // Flat: what a warmed-up process holds may wobble with allocator caches, not grow with
    // the number of requests served.
    if (kResidentMemoryIsOurs) {
      EXPECT_LE(end.rss_kb, start.rss_kb + start.rss_kb / 5 + 4096) << name << " memory grew";
    }
    EXPECT_LE(end.fds - end.pooled, start.fds - start.pooled + 16) << name << " descriptors grew";
    // A pool holds at most one connection per request in flight on each worker thread.
    EXPECT_LE(end.pooled, static_cast<long>(load.connections) * kMaxWorkers * children_count)
        << name << " pooled more connections than requests could be in flight";
  }
  EXPECT_EQ(up.process().signal_and_wait(SIGTERM, 30s), 0) << up.process().log();
}

}  // namespace
}  // namespace mysfits::testing
