#include "cli/canary_view.hpp"

#include <fmt/format.h>
#include <signal.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cmath>
#include <cstdio>
#include <iostream>

#include "cli/http_probe.hpp"

namespace mysfits::cli {
namespace {

namespace asio = boost::asio;
using std::chrono::milliseconds;

constexpr milliseconds kPollInterval{200};
constexpr milliseconds kRequestTimeout{5'000};

std::string p99_text(double ms) {
  return std::isfinite(ms) ? fmt::format("<= {:>5g} ms", ms) : std::string("> 10 s    ");
}

}  // namespace

std::string canary_step_line(const CanaryReport& report, std::size_t index) {
  const auto& step = report.steps.at(index);
  const auto& w = step.window;
  std::string line =
      fmt::format("step {}/{}  weight {:>3}%  requests {:>6}  5xx {:>5} ({:>5.1f}%)  p99 {}  {}",
                  index + 1, report.spec.weights.size(), step.weight, w.requests, w.errors_5xx,
                  w.error_rate_pct(), p99_text(w.p99_ms), step.verdict);
  if (step.windows > 1)
    line += fmt::format(" after {} windows", step.windows);
  if (!step.reason.empty() && step.verdict != "running" && step.verdict != "pass")
    line += ": " + step.reason;
  return line;
}

std::string canary_header(const CanaryReport& report) {
  return fmt::format(
      "canary from stage {} to {}: {} of the moved routes to {}, {:g} s each "
      "(Ctrl-C aborts and rolls back)",
      report.from, report.to, fmt::format("{}%", fmt::join(report.spec.weights, "%, ")),
      fmt::join(report.services, ", "), static_cast<double>(report.spec.step.count()) / 1000.0);
}

std::string canary_outcome(const CanaryReport& report) {
  return report.state + ": " + report.message;
}

namespace {

asio::awaitable<std::optional<CanaryReport>> read_report(std::uint16_t port) {
  auto answer = co_await probe_request(port, "GET", "/canary", "", kRequestTimeout);
  if (answer.status != 200)
    co_return std::nullopt;
  auto report = canary_report_from_json(answer.body);
  co_return report ? std::optional<CanaryReport>(std::move(*report)) : std::nullopt;
}

// Prints what changed since `shown` steps were finished: finished steps get their line, the
// running one is rewritten in place on a terminal.
void show_progress(const CanaryReport& report, std::size_t& shown, bool terminal) {
  for (; shown < report.steps.size(); ++shown) {
    const bool running = report.steps[shown].verdict == "running";
    if (running && !report.finished()) {
      if (terminal)
        std::cout << "\r\033[K" << canary_step_line(report, shown) << std::flush;
      return;
    }
    std::cout << (terminal ? "\r\033[K" : "") << canary_step_line(report, shown) << std::endl;
  }
}

asio::awaitable<int> follow(std::uint16_t port, CanaryReport report, bool terminal) {
  auto executor = co_await asio::this_coro::executor;
  asio::signal_set interrupt(executor, SIGINT, SIGTERM);
  interrupt.async_wait([&](const boost::system::error_code& ec, int) {
    if (ec)
      return;
    std::cout << (terminal ? "\r\033[K" : "")
              << "interrupted: asking mysfits up to abort the canary (it rolls back)" << std::endl;
    asio::co_spawn(executor, probe_request(port, "POST", "/canary/abort", "", kRequestTimeout),
                   asio::detached);
  });
  std::size_t shown = 0;
  bool headed = false;
  int misses = 0;
  asio::steady_timer pause(executor);
  while (!report.finished()) {
    pause.expires_after(kPollInterval);
    co_await pause.async_wait(asio::use_awaitable);
    auto now = co_await read_report(port);
    if (!now) {
      if (++misses * kPollInterval >= milliseconds(10'000)) {
        std::cerr << "mysfits migrate: mysfits up stopped answering; the canary's outcome is "
                     "unknown\n";
        co_return 1;
      }
      continue;
    }
    misses = 0;
    report = std::move(*now);
    if (!headed && !report.from.empty()) {
      std::cout << canary_header(report) << std::endl;
      headed = true;
    }
    show_progress(report, shown, terminal);
  }
  interrupt.cancel();
  std::cout << canary_outcome(report) << std::endl;
  co_return report.state == "succeeded" ? 0 : 1;
}

}  // namespace

int follow_canary(std::uint16_t control_port, const CanaryReport& started, bool terminal) {
  asio::io_context io;
  int code = 1;
  asio::co_spawn(io, follow(control_port, started, terminal),
                 [&code](std::exception_ptr error, int result) { code = error ? 1 : result; });
  io.run();
  return code;
}

}  // namespace mysfits::cli
