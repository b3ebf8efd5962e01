#include "cli/child_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>

extern char** environ;

namespace mysfits::cli {
namespace {

core::Error launch_error(const std::string& exe, int err) {
  return core::Error{core::Errc::kInternal, "cannot start " + exe + ": " + std::strerror(err)};
}

// The environment as "NAME=value" strings: ours, with the spec's changes applied.
std::vector<std::string> child_environment(const LaunchSpec& spec) {
  std::map<std::string, std::string> vars;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string entry(*e);
    auto eq = entry.find('=');
    if (eq != std::string::npos)
      vars[entry.substr(0, eq)] = entry.substr(eq + 1);
  }
  for (const auto& [name, value] : spec.env)
    vars[name] = value;
  std::vector<std::string> out;
  out.reserve(vars.size());
  for (const auto& [name, value] : vars)
    out.push_back(name + "=" + value);
  return out;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  out.reserve(strings.size() + 1);
  for (auto& s : strings)
    out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

// Between fork and exec only async-signal-safe calls: the parent may have other threads.
[[noreturn]] void exec_child(pid_t parent, int output_fd, int devnull, int error_fd, char** argv,
                             char** envp) {
  ::setpgid(0, 0);
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != parent)
    ::_exit(127);
  // Handlers and masks installed by our io_contexts must not leak into the service.
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  for (int sig : {SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGCHLD, SIGQUIT})
    ::sigaction(sig, &dfl, nullptr);
  sigset_t none;
  ::sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  if (::dup2(devnull, 0) < 0 || ::dup2(output_fd, 1) < 0 || ::dup2(output_fd, 2) < 0) {
    int err = errno;
    (void)!::write(error_fd, &err, sizeof err);
    ::_exit(127);
  }
  // Every other descriptor (sockets of our own servers, other children's pipes) closes at
  // exec, error_fd included: the parent reads EOF on success, the errno on failure.
  ::close_range(3, ~0U, CLOSE_RANGE_CLOEXEC);
  ::execve(argv[0], argv, envp);
  int err = errno;
  (void)!::write(error_fd, &err, sizeof err);
  ::_exit(127);
}

}  // namespace

core::Result<LaunchedChild> launch(const LaunchSpec& spec) {
  std::vector<std::string> argv_store{spec.exe};
  argv_store.insert(argv_store.end(), spec.args.begin(), spec.args.end());
  std::vector<std::string> env_store = child_environment(spec);
  std::vector<char*> argv = pointers(argv_store);
  std::vector<char*> envp = pointers(env_store);

  int output[2];
  int status_pipe[2];
  if (::pipe2(output, O_CLOEXEC) != 0)
    return launch_error(spec.exe, errno);
  if (::pipe2(status_pipe, O_CLOEXEC) != 0) {
    int err = errno;
    ::close(output[0]);
    ::close(output[1]);
    return launch_error(spec.exe, err);
  }
  int devnull = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  auto close_all = [&] {
    for (int fd : {output[0], output[1], status_pipe[0], status_pipe[1], devnull}) {
      if (fd >= 0)
        ::close(fd);
    }
  };
  if (devnull < 0) {
    int err = errno;
    close_all();
    return launch_error("/dev/null", err);
  }

  const pid_t parent = ::getpid();
  pid_t pid = ::fork();
  if (pid < 0) {
    int err = errno;
    close_all();
    return launch_error(spec.exe, err);
  }
  if (pid == 0)
    exec_child(parent, output[1], devnull, status_pipe[1], argv.data(), envp.data());

  // Also from the parent, so a kill(-pid) right after launch() cannot miss the group.
  ::setpgid(pid, pid);
  ::close(output[1]);
  ::close(status_pipe[1]);
  ::close(devnull);
  int child_errno = 0;
  ssize_t n;
  do {
    n = ::read(status_pipe[0], &child_errno, sizeof child_errno);
  } while (n < 0 && errno == EINTR);
  ::close(status_pipe[0]);
  if (n > 0) {
    ::close(output[0]);
    int ignored;
    while (::waitpid(pid, &ignored, 0) < 0 && errno == EINTR) {
    }
    return launch_error(spec.exe, child_errno);
  }
  // Through syscall(): Debian 12's <sys/pidfd.h> declares pidfd_open without C linkage.
  int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
  if (pidfd < 0) {
    int err = errno;
    ::kill(pid, SIGKILL);
    int ignored;
    ::waitpid(pid, &ignored, 0);
    ::close(output[0]);
    return launch_error(spec.exe, err);
  }
  return LaunchedChild{pid, output[0], pidfd};
}

std::string describe_exit(int wait_status) {
  if (WIFEXITED(wait_status))
    return "exited with status " + std::to_string(WEXITSTATUS(wait_status));
  if (WIFSIGNALED(wait_status)) {
    const char* abbrev = ::sigabbrev_np(WTERMSIG(wait_status));
    return std::string("killed by SIG") + (abbrev != nullptr ? abbrev : "?") + " (" +
           std::to_string(WTERMSIG(wait_status)) + ")";
  }
  return "stopped";
}

}  // namespace mysfits::cli
