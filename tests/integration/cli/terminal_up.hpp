#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "running_up.hpp"

namespace mysfits::testing {

// A `mysfits up` whose standard output is a pseudo-terminal (forkpty), as when a person starts
// it in a terminal. NO_COLOR is unset for it unless extra_env sets it. The destructor kills its
// process group and reaps it; its children die with it (their parent-death signal).
class TerminalUp {
 public:
  TerminalUp(std::vector<std::string> extra_args, std::map<std::string, std::string> extra_env);
  ~TerminalUp();
  TerminalUp(const TerminalUp&) = delete;
  TerminalUp& operator=(const TerminalUp&) = delete;

  // Reads what up writes until text has appeared (counted from the start) or the deadline
  // passes; false then, or when up closed the terminal first.
  bool wait_for(std::string_view text, std::chrono::milliseconds deadline);
  // SIGTERM, then reads until up closes the terminal; its exit code, nullopt after the deadline.
  std::optional<int> stop(std::chrono::milliseconds deadline);

  // Everything read so far, with the terminal's "\r\n" turned back into "\n".
  const std::string& output() const { return output_; }
  const UpLaunch& launch() const { return launch_; }

 private:
  // One read with a timeout; false at end of output (up exited) or when nothing came in time.
  bool read_some(std::chrono::milliseconds timeout);

  UpLaunch launch_;
  pid_t pid_ = -1;
  int master_ = -1;
  bool closed_ = false;
  std::optional<int> exit_code_;
  std::string output_;
};

// The text without the terminal's colour sequences (ESC [ ... m).
std::string without_colours(std::string_view text);

}  // namespace mysfits::testing
