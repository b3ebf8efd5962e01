#include "cli/supervisor.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cerrno>
#include <stdexcept>

#include "cli/http_probe.hpp"
#include "cli/line_splitter.hpp"

namespace mysfits::cli {

namespace asio = boost::asio;
using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

namespace {

constexpr milliseconds kPollInterval{25};
constexpr milliseconds kProbeTimeout{1'000};
constexpr milliseconds kReadyAgainDeadline{60'000};

std::string seconds_text(milliseconds d) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f s", static_cast<double>(d.count()) / 1000.0);
  return buf;
}

int reap(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return status;
}

}  // namespace

milliseconds BackoffPolicy::next(milliseconds previous, milliseconds uptime) const {
  if (uptime >= stable_after || previous.count() == 0)
    return initial;
  return std::min(previous * 2, max);
}

struct Supervisor::Child {
  Child(ChildSpec s, asio::io_context& io) : spec(std::move(s)), backoff_timer(io) {}

  ChildSpec spec;
  pid_t pid = -1;
  int runs = 0;
  bool stopping = false;
  bool finished = false;  // supervise() has returned: nothing runs, nothing will
  asio::steady_timer backoff_timer;
};

Supervisor::Supervisor(asio::io_context& io, Console& console, BackoffPolicy backoff)
    : io_(io), console_(console), backoff_(backoff) {}

Supervisor::~Supervisor() {
  kill_all();
  for (auto& child : children_) {
    if (child->pid > 0) {
      reap(child->pid);
      child->pid = -1;
    }
  }
}

std::shared_ptr<Supervisor::Child> Supervisor::find(const std::string& name) const {
  for (const auto& child : children_) {
    if (child->spec.name == name)
      return child;
  }
  return nullptr;
}

void Supervisor::start(ChildSpec spec) {
  if (auto previous = find(spec.name)) {
    if (!previous->finished)
      throw std::logic_error("child " + spec.name + " is already running");
    children_.erase(std::find(children_.begin(), children_.end(), previous));
  }
  console_.announce_name(spec.name);
  auto child = std::make_shared<Child>(std::move(spec), io_);
  children_.push_back(child);
  asio::co_spawn(io_, supervise(child), asio::detached);
}

asio::awaitable<void> Supervisor::supervise(std::shared_ptr<Child> child) {
  auto executor = co_await asio::this_coro::executor;
  const std::string& name = child->spec.name;
  milliseconds delay{0};
  for (;;) {
    auto started = Clock::now();
    ++child->runs;
    std::string ended;
    auto launched = launch(child->spec.launch);
    if (launched) {
      child->pid = launched->pid;
      notify_change();
      asio::co_spawn(executor, relay_output(name, launched->output_fd), asio::detached);
      if (child->runs > 1) {
        console_.event(name + " restarted (pid " + std::to_string(child->pid) + ")");
        asio::co_spawn(executor, announce_ready_again(child, child->runs), asio::detached);
      }
      asio::posix::stream_descriptor exit_watch(executor, launched->pidfd);
      co_await exit_watch.async_wait(asio::posix::stream_descriptor::wait_read,
                                     asio::as_tuple(asio::use_awaitable));
      ended = describe_exit(reap(child->pid));
      child->pid = -1;
      notify_change();
    } else {
      ended = launched.error().message;
    }
    if (child->stopping) {
      console_.event(name + " stopped (" + ended + ")");
      break;
    }
    auto uptime = std::chrono::duration_cast<milliseconds>(Clock::now() - started);
    delay = backoff_.next(delay, uptime);
    console_.warning(name + " " + ended + " after " + seconds_text(uptime) + "; restarting in " +
                     seconds_text(delay));
    child->backoff_timer.expires_after(delay);
    co_await child->backoff_timer.async_wait(asio::as_tuple(asio::use_awaitable));
    if (child->stopping)
      break;
  }
  child->finished = true;
  notify_change();
}

asio::awaitable<void> Supervisor::relay_output(std::string name, int fd) {
  asio::posix::stream_descriptor pipe(co_await asio::this_coro::executor, fd);
  LineSplitter splitter;
  auto print = [&](std::string_view line) { console_.child_line(name, line); };
  std::array<char, 8192> buffer;
  for (;;) {
    auto [ec, n] =
        co_await pipe.async_read_some(asio::buffer(buffer), asio::as_tuple(asio::use_awaitable));
    if (ec)
      break;
    splitter.feed(std::string_view(buffer.data(), n), print);
  }
  splitter.finish(print);
}

asio::awaitable<void> Supervisor::announce_ready_again(std::shared_ptr<Child> child, int run) {
  auto deadline = Clock::now() + kReadyAgainDeadline;
  bool ready = co_await wait_ready(child->spec.name, deadline);
  // Only for the run it was started for: a newer run announces itself.
  if (ready && child->runs == run && !child->stopping)
    console_.event(child->spec.name + " is ready again");
}

asio::awaitable<bool> Supervisor::wait_ready(std::string name, Clock::time_point deadline) {
  auto child = find(name);
  if (!child)
    throw std::logic_error("no child named " + name);
  asio::steady_timer pause(co_await asio::this_coro::executor);
  while (!child->finished && !child->stopping && !waits_cancelled_) {
    if (child->pid > 0) {
      int status =
          co_await probe_status(child->spec.ready_port, child->spec.ready_target, kProbeTimeout);
      if (status == 200)
        co_return true;
    }
    if (Clock::now() >= deadline)
      co_return false;
    pause.expires_after(kPollInterval);
    co_await pause.async_wait(asio::as_tuple(asio::use_awaitable));
  }
  co_return false;
}

asio::awaitable<void> Supervisor::stop(std::vector<std::string> names, milliseconds grace) {
  std::vector<std::shared_ptr<Child>> targets;
  for (const auto& name : names) {
    if (auto child = find(name); child && !child->finished)
      targets.push_back(child);
  }
  for (auto& child : targets) {
    child->stopping = true;
    child->backoff_timer.cancel();
    if (child->pid > 0)
      ::kill(-child->pid, SIGTERM);
  }
  auto all_finished = [&] {
    return std::all_of(targets.begin(), targets.end(), [](const auto& c) { return c->finished; });
  };
  auto deadline = Clock::now() + grace;
  asio::steady_timer pause(co_await asio::this_coro::executor);
  bool killed = false;
  while (!all_finished()) {
    if (!killed && Clock::now() >= deadline) {
      for (auto& child : targets) {
        if (child->pid > 0) {
          console_.warning(child->spec.name + " did not stop within " + seconds_text(grace) +
                           "; killing it");
          ::kill(-child->pid, SIGKILL);
        }
      }
      killed = true;
    }
    pause.expires_after(kPollInterval);
    co_await pause.async_wait(asio::as_tuple(asio::use_awaitable));
  }
}

asio::awaitable<void> Supervisor::stop_all(std::vector<std::string> role_order,
                                           milliseconds grace) {
  for (const auto& role : role_order)
    co_await stop(names_with_role(role), grace);
  std::vector<std::string> rest;
  for (const auto& child : children_)
    rest.push_back(child->spec.name);
  co_await stop(rest, grace);
}

void Supervisor::kill_all() {
  for (auto& child : children_) {
    child->stopping = true;
    child->backoff_timer.cancel();
    if (child->pid > 0)
      ::kill(-child->pid, SIGKILL);
  }
}

void Supervisor::signal(const std::string& name, int sig) {
  if (auto child = find(name); child && child->pid > 0)
    ::kill(-child->pid, sig);
}

void Supervisor::notify_change() {
  if (on_change_)
    on_change_();
}

std::vector<ChildStatus> Supervisor::status() const {
  std::vector<ChildStatus> out;
  for (const auto& child : children_) {
    if (child->finished)
      continue;
    out.push_back(ChildStatus{child->spec.name, child->spec.role, child->pid, child->spec.port,
                              child->runs > 0 ? child->runs - 1 : 0});
  }
  return out;
}

std::vector<std::string> Supervisor::names_with_role(const std::string& role) const {
  std::vector<std::string> out;
  for (const auto& child : children_) {
    if (child->spec.role == role && !child->finished)
      out.push_back(child->spec.name);
  }
  return out;
}

}  // namespace mysfits::cli
