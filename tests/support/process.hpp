#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "support/build_tree.hpp"

namespace mysfits::testing {

// A directory under the build tree, unique to this test process, removed by nothing (kept for
// post-mortems).
std::string temp_dir();

// A loopback port that was free a moment ago and that nothing else hands out: below the
// kernel's ephemeral range, reserved for this process (free_port.cpp says why).
std::uint16_t free_port();

// A child process in its own process group. The destructor kills the whole group (SIGKILL) and
// reaps it, so no test leaves anything running; the child also dies if the test process dies.
// stdout and stderr go to a log file whose tail is printed when a test fails.
class Process {
 public:
  Process(std::string exe, std::vector<std::string> args,
          std::map<std::string, std::string> env = {});
  ~Process();
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;
  Process(Process&& other) noexcept;

  int pid() const { return pid_; }
  bool running();
  // Sends sig to the child (not the group); waits up to timeout; returns the exit code
  // (128+signal when killed by a signal) or nullopt when it is still running.
  std::optional<int> signal_and_wait(int sig, std::chrono::milliseconds timeout);
  std::optional<int> wait(std::chrono::milliseconds timeout);
  void kill_group(int sig);
  std::string log() const;
  const std::string& log_path() const { return log_path_; }

 private:
  int pid_ = -1;
  std::optional<int> exit_code_;
  std::string log_path_;
};

}  // namespace mysfits::testing
