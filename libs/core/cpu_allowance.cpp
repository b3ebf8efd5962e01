#include "core/cpu_allowance.hpp"

#include <sched.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>
#include <thread>

namespace mysfits::core {
namespace {

namespace fs = std::filesystem;

std::optional<std::string> read_file(const fs::path& path) {
  std::ifstream in(path);
  if (!in)
    return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::optional<long long> parse_integer(std::string_view text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' '))
    text.remove_suffix(1);
  long long value = 0;
  const auto* end = text.data() + text.size();
  auto [stop, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || stop != end)
    return std::nullopt;
  return value;
}

std::optional<double> cpus_per_period(std::optional<long long> quota,
                                      std::optional<long long> period) {
  if (!quota || !period || *quota <= 0 || *period <= 0)
    return std::nullopt;  // v1 writes -1 for "no limit"
  return static_cast<double>(*quota) / static_cast<double>(*period);
}

std::optional<double> v1_quota(const fs::path& dir) {
  auto quota = read_file(dir / "cpu.cfs_quota_us");
  auto period = read_file(dir / "cpu.cfs_period_us");
  if (!quota || !period)
    return std::nullopt;
  return cpus_per_period(parse_integer(*quota), parse_integer(*period));
}

std::optional<double> v2_quota(const fs::path& dir) {
  auto text = read_file(dir / "cpu.max");
  return text ? parse_cpu_max(*text) : std::nullopt;
}

void keep_tighter(std::optional<double>& best, std::optional<double> found) {
  if (found && (!best || *found < *best))
    best = found;
}

// A parent's limit binds its children too, so every cgroup from `path` up to the mount's root.
template <class Read>
std::optional<double> tightest_along(const fs::path& mount, std::string_view path, Read read) {
  std::optional<double> best;
  fs::path relative = fs::path(path).relative_path();
  for (;;) {
    keep_tighter(best, read(mount / relative));
    if (relative.empty())
      return best;
    relative = relative.parent_path();
  }
}

bool lists_controller(std::string_view controllers, std::string_view wanted) {
  while (!controllers.empty()) {
    const auto comma = controllers.find(',');
    if (controllers.substr(0, comma) == wanted)
      return true;
    if (comma == std::string_view::npos)
      return false;
    controllers.remove_prefix(comma + 1);
  }
  return false;
}

}  // namespace

int CpuAllowance::worker_threads() const {
  int threads = std::max(cpus, 1);
  if (quota)
    threads = std::min(threads, std::max(1, static_cast<int>(std::ceil(*quota))));
  return threads;
}

std::string CpuAllowance::describe() const {
  std::ostringstream out;
  out << cpus << (cpus == 1 ? " CPU" : " CPUs");
  if (quota) {
    out.precision(3);
    out << ", cgroup quota " << *quota;
  }
  return out.str();
}

std::optional<double> parse_cpu_max(std::string_view text) {
  const auto space = text.find(' ');
  if (space == std::string_view::npos || text.substr(0, space) == "max")
    return std::nullopt;
  return cpus_per_period(parse_integer(text.substr(0, space)),
                         parse_integer(text.substr(space + 1)));
}

std::optional<double> cgroup_cpu_quota(const fs::path& cgroup_root, std::string_view self_cgroup) {
  std::optional<double> best;
  std::istringstream lines{std::string(self_cgroup)};
  // Each line is "hierarchy-id:controllers:path"; v2's single hierarchy lists no controllers.
  for (std::string line; std::getline(lines, line);) {
    const auto first = line.find(':');
    const auto second = first == std::string::npos ? first : line.find(':', first + 1);
    if (second == std::string::npos)
      continue;
    const std::string_view controllers =
        std::string_view(line).substr(first + 1, second - first - 1);
    const std::string_view path = std::string_view(line).substr(second + 1);
    if (controllers.empty()) {
      keep_tighter(best, tightest_along(cgroup_root, path, v2_quota));
    } else if (lists_controller(controllers, "cpu")) {
      // Mounted under the joined controller names ("cpu,cpuacct"), often also linked as "cpu".
      std::error_code ec;
      fs::path mount = cgroup_root / std::string(controllers);
      if (!fs::is_directory(mount, ec))
        mount = cgroup_root / "cpu";
      keep_tighter(best, tightest_along(mount, path, v1_quota));
    }
  }
  return best;
}

CpuAllowance cpu_allowance() {
  CpuAllowance allowance;
  cpu_set_t set;
  CPU_ZERO(&set);
  allowance.cpus = sched_getaffinity(0, sizeof(set), &set) == 0
                       ? CPU_COUNT(&set)
                       : static_cast<int>(std::thread::hardware_concurrency());
  allowance.cpus = std::max(allowance.cpus, 1);
  if (auto self = read_file("/proc/self/cgroup"))
    allowance.quota = cgroup_cpu_quota("/sys/fs/cgroup", *self);
  return allowance;
}

}  // namespace mysfits::core
