// free_port(): ports that nothing else on the machine hands out.
//
// A port taken by binding port 0 comes from the kernel's ephemeral range, which is also where
// every outgoing connection and every other bind to port 0 gets its port. Between the test
// choosing one and a child binding it (for `mysfits up`'s gateway, a second or more: it binds
// after everything behind it is ready), a concurrent test's service can be handed the same
// port and answer in our gateway's place. CI saw exactly that: a readiness probe answered
// before our `mysfits up` had even written its state. So the ports come from just below the
// ephemeral range, where only this function looks, and concurrent test processes keep out of
// each other's way with an flock per port, held for the life of the process that chose it.
// The browser tests pick from the 2,000 ports below these (tests/web/system.mjs).
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <mutex>
#include <random>
#include <stdexcept>
#include <vector>

#include "support/process.hpp"

namespace mysfits::testing {
namespace {

constexpr int kLowestPort = 10'000;
constexpr int kRangeSize = 12'000;

bool bind_loopback(std::uint16_t port, std::uint16_t* bound) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return false;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(port);
  bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  if (ok && bound != nullptr) {
    socklen_t len = sizeof addr;
    ok = ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0;
    *bound = ntohs(addr.sin_port);
  }
  ::close(fd);
  return ok;
}

// [first, last] just below the ephemeral range; empty when that range starts too low to leave
// room (then free_port falls back to port 0).
std::pair<int, int> reserved_range() {
  int ephemeral_low = 32768;
  std::ifstream("/proc/sys/net/ipv4/ip_local_port_range") >> ephemeral_low;
  const int last = ephemeral_low - 1;
  const int first = std::max(kLowestPort, last - kRangeSize + 1);
  return {first, last};
}

}  // namespace

std::uint16_t free_port() {
  static std::mutex mutex;
  static std::vector<int> held;  // lock descriptors, kept open until the process exits
  static std::mt19937 rng{std::random_device{}()};
  static const auto range = reserved_range();
  static const std::filesystem::path lock_dir =
      std::filesystem::temp_directory_path() / "mysfits-tests" / "ports";

  std::lock_guard lock(mutex);
  if (range.second - range.first >= 1'000) {
    std::filesystem::create_directories(lock_dir);
    std::uniform_int_distribution<int> pick(range.first, range.second);
    for (int attempt = 0; attempt < 1'000; ++attempt) {
      const auto port = static_cast<std::uint16_t>(pick(rng));
      const auto path = lock_dir / std::to_string(port);
      const int fd = ::open(path.c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0644);
      if (fd < 0)
        continue;
      // Held by another test process, or by this one for an earlier caller: not ours to give.
      if (::flock(fd, LOCK_EX | LOCK_NB) != 0 || !bind_loopback(port, nullptr)) {
        ::close(fd);
        continue;
      }
      held.push_back(fd);
      return port;
    }
  }
  std::uint16_t port = 0;
  if (!bind_loopback(0, &port))
    throw std::runtime_error("bind to port 0 failed");
  return port;
}

}  // namespace mysfits::testing
