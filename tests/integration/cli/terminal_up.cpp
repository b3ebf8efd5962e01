#include "terminal_up.hpp"

#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <stdexcept>

#include "support/process.hpp"

namespace mysfits::testing {

using Clock = std::chrono::steady_clock;

TerminalUp::TerminalUp(std::vector<std::string> extra_args,
                       std::map<std::string, std::string> extra_env)
    : launch_(plan_up(std::move(extra_args))) {
  launch_.env.erase("NO_COLOR");
  for (auto& [key, value] : extra_env)
    launch_.env[key] = value;
  std::vector<std::string> argv_store{bin_path("mysfits")};
  argv_store.insert(argv_store.end(), launch_.args.begin(), launch_.args.end());
  std::vector<char*> argv;
  for (auto& a : argv_store)
    argv.push_back(a.data());
  argv.push_back(nullptr);

  // Wide enough that no terminal would fold the table; the bytes are what is checked anyway.
  winsize size{};
  size.ws_row = 50;
  size.ws_col = 200;
  const pid_t parent = ::getpid();
  pid_ = ::forkpty(&master_, nullptr, nullptr, &size);
  if (pid_ < 0)
    throw std::runtime_error("forkpty failed");
  if (pid_ == 0) {
    // forkpty made this a session (and process group) leader with the terminal as stdio.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent)
      ::_exit(127);
    ::unsetenv("NO_COLOR");
    for (const auto& [k, v] : launch_.env)
      ::setenv(k.c_str(), v.c_str(), 1);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
}

TerminalUp::~TerminalUp() {
  if (pid_ > 0) {
    ::kill(-pid_, SIGKILL);
    if (!exit_code_) {
      int status = 0;
      ::waitpid(pid_, &status, 0);
    }
  }
  if (master_ >= 0)
    ::close(master_);
}

bool TerminalUp::read_some(std::chrono::milliseconds timeout) {
  if (closed_)
    return false;
  pollfd fd{master_, POLLIN, 0};
  int ready = ::poll(&fd, 1, static_cast<int>(timeout.count()));
  if (ready <= 0)
    return false;
  char buffer[4096];
  ssize_t n = ::read(master_, buffer, sizeof buffer);
  if (n <= 0) {
    // EIO once every process holding the terminal has gone: up and its output are done.
    if (n == 0 || errno != EINTR)
      closed_ = true;
    return false;
  }
  for (ssize_t i = 0; i < n; ++i) {
    if (buffer[i] != '\r')
      output_.push_back(buffer[i]);
  }
  return true;
}

bool TerminalUp::wait_for(std::string_view text, std::chrono::milliseconds deadline) {
  const auto end = Clock::now() + deadline;
  while (output_.find(text) == std::string::npos) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(end - Clock::now());
    if (left.count() <= 0 || closed_)
      return false;
    read_some(left);
  }
  return true;
}

std::optional<int> TerminalUp::stop(std::chrono::milliseconds deadline) {
  if (exit_code_)
    return exit_code_;
  ::kill(pid_, SIGTERM);
  const auto end = Clock::now() + deadline;
  while (!closed_ && Clock::now() < end)
    read_some(std::chrono::duration_cast<std::chrono::milliseconds>(end - Clock::now()));
  for (;;) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      return exit_code_;
    }
    if (Clock::now() >= end)
      return std::nullopt;
    ::poll(nullptr, 0, 10);  // polling a child's exit, not a synchronisation
  }
}

std::string without_colours(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\x1b' && i + 1 < text.size() && text[i + 1] == '[') {
      std::size_t end = text.find('m', i);
      if (end != std::string_view::npos) {
        i = end;
        continue;
      }
    }
    out.push_back(text[i]);
  }
  return out;
}

}  // namespace mysfits::testing
