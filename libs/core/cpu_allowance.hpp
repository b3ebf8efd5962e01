#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace mysfits::core {

// How much CPU this process may use, which sets the default number of worker threads. Two
// things bound it: the CPUs the scheduler lets the process run on (sched_getaffinity: taskset,
// a cpuset cgroup) and, often tighter, the CFS bandwidth quota of its cgroup (a Kubernetes CPU
// limit, `docker run --cpus`). The core count of the machine is neither: a pod limited to one
// CPU on a 16-core node that starts 16 workers gets them throttled together, in stalls of up to
// a whole quota period (100 ms), which is where tail latency goes to die.
struct CpuAllowance {
  int cpus = 1;                 // CPUs the process may run on
  std::optional<double> quota;  // CPUs' worth of time per period under the cgroup limit, if any

  // One worker per CPU the process can keep busy: min(cpus, quota rounded up), at least 1.
  int worker_threads() const;
  // For the start-up log, e.g. "2 CPUs" or "8 CPUs, cgroup quota 1.5".
  std::string describe() const;
};

// This process's allowance, read from the kernel (affinity, /proc/self/cgroup, /sys/fs/cgroup).
CpuAllowance cpu_allowance();

// The tightest CPU quota along this process's cgroup path, for cgroup v2 (cpu.max) and v1
// (cpu.cfs_quota_us / cpu.cfs_period_us). `self_cgroup` is the text of /proc/self/cgroup,
// `cgroup_root` where the hierarchies are mounted (/sys/fs/cgroup). A path that does not exist
// under the mount (a container without its own cgroup namespace sees the host's path) is
// walked up to the mount's root, which is then the container's own cgroup. nullopt: no limit.
std::optional<double> cgroup_cpu_quota(const std::filesystem::path& cgroup_root,
                                       std::string_view self_cgroup);

// cgroup v2's cpu.max: "max 100000" (no limit) or "<quota> <period>" in microseconds.
std::optional<double> parse_cpu_max(std::string_view text);

}  // namespace mysfits::core
