#include "cli/supervisor.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "core/http_server.hpp"
#include "core/router.hpp"

namespace mysfits::cli {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

ChildSpec shell_child(std::string name, std::string script) {
  ChildSpec spec;
  spec.name = std::move(name);
  spec.role = "test";
  spec.launch.exe = "/bin/sh";
  spec.launch.args = {"-c", std::move(script)};
  return spec;
}

std::size_t count(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (auto pos = text.find(needle); pos != std::string::npos; pos = text.find(needle, pos + 1))
    ++n;
  return n;
}

class SupervisorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = std::filesystem::temp_directory_path() /
            ("supervisor-test-" + std::to_string(::getpid()) + ".log");
    file_ = std::fopen(path_.c_str(), "w");
    console_ = std::make_unique<Console>(file_, false);
  }
  void TearDown() override {
    console_.reset();
    std::fclose(file_);
    std::filesystem::remove(path_);
  }

  std::string output() const {
    std::ifstream in(path_);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }

  // Runs the test body on the io_context, with a deadline so a broken supervisor fails the
  // test instead of hanging it.
  void run(Supervisor& supervisor, std::function<asio::awaitable<void>(Supervisor&)> body) {
    bool done = false;
    asio::co_spawn(io_, body(supervisor), [&](std::exception_ptr e) {
      done = true;
      if (e)
        std::rethrow_exception(e);
    });
    io_.run_for(20s);
    ASSERT_TRUE(done) << "test body did not finish; output:\n" << output();
  }

  // Polls until the output holds needle n times, or 10 s pass.
  asio::awaitable<bool> wait_output(std::string needle, std::size_t n = 1) {
    asio::steady_timer pause(io_);
    for (auto deadline = Clock::now() + 10s; Clock::now() < deadline;) {
      if (count(output(), needle) >= n)
        co_return true;
      pause.expires_after(10ms);
      co_await pause.async_wait(asio::use_awaitable);
    }
    co_return false;
  }

  std::filesystem::path path_;
  std::FILE* file_ = nullptr;
  std::unique_ptr<Console> console_;
  asio::io_context io_;
};

TEST_F(SupervisorTest, RelaysStdoutAndStderrLinesUnderTheChildsName) {
  Supervisor supervisor(io_, *console_);
  run(supervisor, [this](Supervisor& s) -> asio::awaitable<void> {
    s.start(shell_child("talker", "echo hello; echo oops >&2; exec sleep 30"));
    EXPECT_TRUE(co_await wait_output("talker | oops"));
    const std::vector<std::string> stopping{"talker"};
    co_await s.stop(stopping, 5s);
  });
  std::string out = output();
  EXPECT_NE(out.find("talker | hello\n"), std::string::npos) << out;
  EXPECT_NE(out.find("up     | talker stopped (killed by SIGTERM (15))"), std::string::npos) << out;
  EXPECT_TRUE(supervisor.status().empty());
}

TEST_F(SupervisorTest, RestartsAChildThatDiesWithGrowingDelays) {
  Supervisor supervisor(io_, *console_, BackoffPolicy{10ms, 40ms, 10s});
  run(supervisor, [this](Supervisor& s) -> asio::awaitable<void> {
    s.start(shell_child("crasher", "echo run; exit 3"));
    EXPECT_TRUE(co_await wait_output("crasher | run", 4));
    EXPECT_GE(s.status().at(0).restarts, 3);
    const std::vector<std::string> stopping{"crasher"};
    co_await s.stop(stopping, 5s);
  });
  std::string out = output();
  EXPECT_NE(out.find("crasher exited with status 3"), std::string::npos) << out;
  EXPECT_NE(out.find("restarting in 0.01 s"), std::string::npos) << out;
  EXPECT_NE(out.find("restarting in 0.04 s"), std::string::npos) << out;
  EXPECT_NE(out.find("crasher restarted (pid "), std::string::npos) << out;
}

TEST_F(SupervisorTest, KillsAChildThatIgnoresSigtermAfterTheGracePeriod) {
  Supervisor supervisor(io_, *console_);
  run(supervisor, [this](Supervisor& s) -> asio::awaitable<void> {
    s.start(shell_child("stubborn", "trap '' TERM; echo armed; while :; do sleep 0.05; done"));
    EXPECT_TRUE(co_await wait_output("stubborn | armed"));
    const std::vector<std::string> stopping{"stubborn"};
    co_await s.stop(stopping, 200ms);
  });
  std::string out = output();
  EXPECT_NE(out.find("stubborn did not stop within 0.20 s; killing it"), std::string::npos) << out;
  EXPECT_NE(out.find("stubborn stopped (killed by SIGKILL (9))"), std::string::npos) << out;
}

TEST_F(SupervisorTest, SaysWhyAChildCannotStartAndKeepsTrying) {
  Supervisor supervisor(io_, *console_, BackoffPolicy{10ms, 20ms, 10s});
  run(supervisor, [this](Supervisor& s) -> asio::awaitable<void> {
    ChildSpec spec;
    spec.name = "ghost";
    spec.launch.exe = "/nonexistent/mysfits-ghost";
    s.start(spec);
    EXPECT_TRUE(co_await wait_output("cannot start /nonexistent/mysfits-ghost: No such file", 2));
    const std::vector<std::string> stopping{"ghost"};
    co_await s.stop(stopping, 1s);
  });
}

TEST_F(SupervisorTest, WaitReadyPollsReadyzUntilItAnswers200) {
  core::ServerOptions options;
  options.threads = 1;
  core::HttpServer server(options);
  core::Router router;
  router.get("/readyz", [](const core::Request&) { return core::Response::json(200, "{}"); });
  std::uint16_t port = server.listen("127.0.0.1", 0, router);
  std::thread server_thread([&] { server.run(); });

  Supervisor supervisor(io_, *console_);
  run(supervisor, [port](Supervisor& s) -> asio::awaitable<void> {
    ChildSpec ready = shell_child("ready", "exec sleep 30");
    ready.ready_port = port;
    s.start(ready);
    EXPECT_TRUE(co_await s.wait_ready("ready", Clock::now() + 5s));

    ChildSpec silent = shell_child("silent", "exec sleep 30");
    silent.ready_port = port;
    silent.ready_target = "/missing";
    s.start(silent);
    auto started = Clock::now();
    EXPECT_FALSE(co_await s.wait_ready("silent", started + 300ms));
    EXPECT_LT(Clock::now() - started, 3s);
    const std::vector<std::string> stopping{"ready", "silent"};
    co_await s.stop(stopping, 5s);
  });
  server.shutdown();
  server_thread.join();
}

TEST(BackoffPolicy, DoublesUpToTheMaximumAndResetsAfterAStableRun) {
  BackoffPolicy policy{std::chrono::milliseconds(100), std::chrono::milliseconds(300),
                       std::chrono::milliseconds(5'000)};
  using ms = std::chrono::milliseconds;
  EXPECT_EQ(policy.next(ms(0), ms(10)), ms(100));
  EXPECT_EQ(policy.next(ms(100), ms(10)), ms(200));
  EXPECT_EQ(policy.next(ms(200), ms(10)), ms(300));
  EXPECT_EQ(policy.next(ms(300), ms(10)), ms(300));
  EXPECT_EQ(policy.next(ms(300), ms(6'000)), ms(100));
}

}  // namespace
}  // namespace mysfits::cli
