#pragma once

#include <sys/types.h>

#include <string>
#include <utility>
#include <vector>

#include "core/result.hpp"

namespace mysfits::cli {

// What to run: the executable, its arguments, and changes to the environment `mysfits up`
// itself was started with (children inherit the rest, so DDB_TABLE_NAME, AWS_* and LOG_LEVEL
// pass through unchanged).
struct LaunchSpec {
  std::string exe;
  std::vector<std::string> args;
  std::vector<std::pair<std::string, std::string>> env;  // set or replace
};

// A started child. The caller owns both descriptors.
struct LaunchedChild {
  pid_t pid = -1;
  int output_fd = -1;  // read end of the pipe that is the child's stdout and stderr
  int pidfd = -1;      // readable once the child has exited (then reap it with waitpid)
};

// Starts spec.exe as a child that cannot outlive this process and that the terminal's Ctrl-C
// does not reach directly:
// - it leads its own process group, so `kill(-pid, sig)` reaches it and anything it starts,
//   and the terminal's SIGINT goes only to `mysfits up`, which then stops children in order;
// - PR_SET_PDEATHSIG(SIGKILL) kills it when the thread that forked it dies, even when
//   `mysfits up` is SIGKILLed; the getppid() check covers a parent that died before prctl.
// Must be called from the thread that lives as long as the children (the supervisor's).
core::Result<LaunchedChild> launch(const LaunchSpec& spec);

// "exited with status 3", "killed by SIGKILL", from a waitpid() status.
std::string describe_exit(int wait_status);

}  // namespace mysfits::cli
