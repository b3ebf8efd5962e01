#pragma once

#include <sys/types.h>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "cli/child_process.hpp"
#include "cli/console.hpp"

namespace mysfits::cli {

struct ChildSpec {
  std::string name;  // "monolith-1": the log prefix and the table's first column
  std::string role;  // "monolith", "like", "adopt", "gateway": what stops together
  LaunchSpec launch;
  std::uint16_t port = 0;        // where it serves
  std::uint16_t ready_port = 0;  // where GET ready_target is polled on 127.0.0.1
  std::string ready_target = "/readyz";
};

// Delay before restarting a child that died: doubles from initial up to max, and starts over
// once a run lasted stable_after (a child that crashes at once does not spin the CPU; one that
// crashed after an hour comes back at once).
struct BackoffPolicy {
  std::chrono::milliseconds initial{250};
  std::chrono::milliseconds max{8'000};
  std::chrono::milliseconds stable_after{10'000};

  std::chrono::milliseconds next(std::chrono::milliseconds previous,
                                 std::chrono::milliseconds uptime) const;
};

struct ChildStatus {
  std::string name;
  std::string role;
  pid_t pid = -1;  // -1 while waiting to restart
  std::uint16_t port = 0;
  int restarts = 0;
};

// Runs children on one io_context (the thread that calls io.run() must be the one that lives as
// long as the children: PR_SET_PDEATHSIG is tied to the forking thread). Restarts any child that
// exits unasked, relays its output line by line under its name, stops children gracefully.
class Supervisor {
 public:
  Supervisor(boost::asio::io_context& io, Console& console, BackoffPolicy backoff = {});
  ~Supervisor();
  Supervisor(const Supervisor&) = delete;
  Supervisor& operator=(const Supervisor&) = delete;

  // Starts the child now. A name may be reused once its previous child has been stopped.
  void start(ChildSpec spec);

  // Polls GET ready_target on the child's port until it answers 200; false when the deadline
  // passes first.
  boost::asio::awaitable<bool> wait_ready(std::string name,
                                          std::chrono::steady_clock::time_point deadline);

  // Makes every wait_ready(), pending or future, give up and return false (shutting down).
  void cancel_waits() { waits_cancelled_ = true; }

  // SIGTERM to each child's process group, SIGKILL to those still there after grace; returns
  // once all are reaped. Stopped children are not restarted.
  boost::asio::awaitable<void> stop(std::vector<std::string> names,
                                    std::chrono::milliseconds grace);

  // Stops every child, one role at a time in the given order (the rest last).
  boost::asio::awaitable<void> stop_all(std::vector<std::string> role_order,
                                        std::chrono::milliseconds grace);

  // SIGKILL to every child at once (a second Ctrl-C while stopping).
  void kill_all();

  // Sends sig to the named child's process group, if it runs.
  void signal(const std::string& name, int sig);

  // Called on the io_context whenever a child starts or exits (its pid changes), e.g. to keep
  // a state file current.
  void on_change(std::function<void()> fn) { on_change_ = std::move(fn); }

  std::vector<ChildStatus> status() const;  // in start order
  std::vector<std::string> names_with_role(const std::string& role) const;

 private:
  struct Child;
  boost::asio::awaitable<void> supervise(std::shared_ptr<Child> child);
  boost::asio::awaitable<void> relay_output(std::string name, int fd);
  boost::asio::awaitable<void> announce_ready_again(std::shared_ptr<Child> child, int run);
  std::shared_ptr<Child> find(const std::string& name) const;
  void notify_change();

  boost::asio::io_context& io_;
  Console& console_;
  BackoffPolicy backoff_;
  std::vector<std::shared_ptr<Child>> children_;  // start order
  bool waits_cancelled_ = false;
  std::function<void()> on_change_;
};

}  // namespace mysfits::cli
