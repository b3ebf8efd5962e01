#include "support/process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace mysfits::testing {
namespace {

std::optional<int> decode_status(int status) {
  if (WIFEXITED(status))
    return WEXITSTATUS(status);
  if (WIFSIGNALED(status))
    return 128 + WTERMSIG(status);
  return std::nullopt;
}

}  // namespace

std::string temp_dir() {
  static const std::string dir = [] {
    auto base = std::filesystem::temp_directory_path() / "mysfits-tests";
    std::filesystem::create_directories(base);
    std::string tmpl = (base / "run-XXXXXX").string();
    if (mkdtemp(tmpl.data()) == nullptr)
      throw std::runtime_error("mkdtemp failed");
    return tmpl;
  }();
  return dir;
}

Process::Process(std::string exe, std::vector<std::string> args,
                 std::map<std::string, std::string> env) {
  static int counter = 0;
  std::string base = std::filesystem::path(exe).filename().string();
  log_path_ = temp_dir() + "/" + base + "-" + std::to_string(::getpid()) + "-" +
              std::to_string(++counter) + ".log";
  std::vector<std::string> argv_store;
  argv_store.push_back(exe);
  for (auto& a : args)
    argv_store.push_back(std::move(a));
  std::vector<char*> argv;
  for (auto& a : argv_store)
    argv.push_back(a.data());
  argv.push_back(nullptr);

  const pid_t parent = ::getpid();
  pid_ = ::fork();
  if (pid_ < 0)
    throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    ::setpgid(0, 0);
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent)
      ::_exit(127);
    int fd = ::open(log_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
      ::dup2(fd, 1);
      ::dup2(fd, 2);
      ::close(fd);
    }
    int devnull = ::open("/dev/null", O_RDONLY);
    if (devnull >= 0)
      ::dup2(devnull, 0);
    for (const auto& [k, v] : env)
      ::setenv(k.c_str(), v.c_str(), 1);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ::setpgid(pid_, pid_);
}

Process::Process(Process&& other) noexcept
    : pid_(other.pid_), exit_code_(other.exit_code_), log_path_(std::move(other.log_path_)) {
  other.pid_ = -1;
}

Process::~Process() {
  if (pid_ <= 0)
    return;
  kill_group(SIGKILL);
  if (!exit_code_) {
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }
}

bool Process::running() {
  if (exit_code_)
    return false;
  int status = 0;
  pid_t r = ::waitpid(pid_, &status, WNOHANG);
  if (r == pid_) {
    exit_code_ = decode_status(status);
    if (!exit_code_)
      exit_code_ = -1;
    return false;
  }
  return r == 0;
}

std::optional<int> Process::wait(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (running()) {
    if (std::chrono::steady_clock::now() >= deadline)
      return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));  // polling a child, not a sync
  }
  return exit_code_;
}

std::optional<int> Process::signal_and_wait(int sig, std::chrono::milliseconds timeout) {
  if (running())
    ::kill(pid_, sig);
  return wait(timeout);
}

void Process::kill_group(int sig) {
  if (pid_ > 0)
    ::kill(-pid_, sig);
}

std::string Process::log() const {
  std::ifstream in(log_path_);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace mysfits::testing
