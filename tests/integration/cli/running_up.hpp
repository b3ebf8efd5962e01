#pragma once

#include <sys/types.h>

#include <boost/json.hpp>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "support/process.hpp"

namespace mysfits::testing {

// The last line of the table `mysfits up` prints once everything has started.
inline constexpr const char* kTableEnd = "Ctrl-C stops everything.";

// How every test starts `mysfits up`: free ports, and its data and runtime files
// (XDG_RUNTIME_DIR) in a directory of its own.
struct UpLaunch {
  std::string dir;
  std::uint16_t port;
  std::uint16_t web_port;
  std::vector<std::string> args;  // "up --port P --web-port W" and the extra arguments
  std::map<std::string, std::string> env;

  std::string runtime_dir() const { return dir + "/run"; }
  std::string state_path() const;
};
UpLaunch plan_up(std::vector<std::string> extra_args);

// A JSON file's value, or null when it is missing or unreadable.
boost::json::value read_json_file(const std::string& path);

// A `mysfits up` started from build/bin on free ports, with its data and its runtime files
// (XDG_RUNTIME_DIR) in a directory of its own. The Process guard kills it if a test fails.
class RunningUp {
 public:
  explicit RunningUp(std::vector<std::string> extra_args);
  // A launch planned by plan_up and then changed (more environment, say).
  explicit RunningUp(UpLaunch launch);

  // Waits until the gateway serves the list (the whole system is up) or up has exited.
  bool wait_serving(std::chrono::milliseconds deadline = std::chrono::seconds(40));
  // Waits until up has printed its table: it has finished starting (a SIGTERM before that
  // makes it exit 1) and state.json names every child and the gateway's admin endpoint.
  bool wait_started(std::chrono::milliseconds deadline = std::chrono::seconds(40));

  Process& process() { return process_; }
  std::uint16_t port() const { return launch_.port; }
  std::uint16_t web_port() const { return launch_.web_port; }
  std::string state_path() const { return launch_.state_path(); }
  // Its XDG_RUNTIME_DIR: `mysfits migrate` needs the same one to find it.
  std::string runtime_dir() const { return launch_.runtime_dir(); }
  // state.json, or null when it is missing or unreadable.
  boost::json::value state() const { return read_json_file(state_path()); }

 private:
  UpLaunch launch_;
  Process process_;
};

struct ChildProcess {
  std::string name;
  std::string role;
  pid_t pid;
  std::uint16_t port;
};
std::vector<ChildProcess> children_of(const boost::json::value& state);

// The roles ("monolith", "like", "adopt", "gateway") of the children running now.
std::set<std::string> running_roles(const boost::json::value& state);

// True when the pid names no process, or only a zombie (killed, not yet reaped by whoever
// inherited it).
bool process_gone(pid_t pid);
// Polls process_gone with a deadline.
bool wait_gone(pid_t pid, std::chrono::milliseconds deadline = std::chrono::seconds(15));
// The file name of the process's executable ("mysfits-like"), empty when it is gone.
std::string executable_of(pid_t pid);
// The parent pid from /proc, or -1.
pid_t parent_of(pid_t pid);

// The executables every stage needs; empty when all are built.
std::vector<std::string> missing_binaries();

}  // namespace mysfits::testing
