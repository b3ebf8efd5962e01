#include "services/gateway/gateway_state.hpp"

#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <fstream>
#include <future>
#include <thread>

#include "support/process.hpp"

// Snapshot publication across the server's workers, run under ThreadSanitizer too: workers read
// their own copies while reloads hand them new ones, and threads that are no worker read the
// newest under the lock.
namespace mysfits::gateway {
namespace {

using namespace std::chrono_literals;

std::string write(const std::string& name, const std::string& text) {
  const std::string path = testing::temp_dir() + "/" + name;
  std::ofstream(path) << text;
  return path;
}

// The generation current() gives on each worker, read on that worker.
std::array<int, 2> generation_per_worker(core::HttpServer& server, const GatewayState& state) {
  auto seen = std::make_shared<std::array<std::atomic<int>, 2>>();
  auto done = std::make_shared<std::promise<void>>();
  auto future = done->get_future();
  server.post_to_every_worker(
      [seen, &state](int worker) {
        (*seen)[static_cast<std::size_t>(worker)] = state.current()->generation;
      },
      [done] { done->set_value(); });
  EXPECT_EQ(future.wait_for(10s), std::future_status::ready);
  return {(*seen)[0].load(), (*seen)[1].load()};
}

TEST(GatewayState, EveryWorkerServesANewSnapshotOnceItsGenerationIsPublished) {
  const std::string upstreams =
      write("publication-upstreams", "mythical-mysfits-nolike:80=127.0.0.1:9000\n");
  Sources sources;
  sources.ingress_files = {testing::source_path("tests/data/ingress/seed-ingress.yaml")};
  sources.upstreams_file = upstreams;
  GatewayState state(sources);
  ASSERT_TRUE(state.load().ok());
  core::ServerOptions options;
  options.threads = 2;
  core::HttpServer server(options);
  state.publish_to(server);
  std::thread serving([&server] { server.run(); });

  // A thread that is no worker reads alongside, through the lock.
  std::atomic<bool> stop{false};
  std::thread reader([&] {
    while (!stop.load()) {
      EXPECT_GE(state.current()->generation, 1);
      (void)state.draining();
    }
  });

  EXPECT_EQ(generation_per_worker(server, state), (std::array<int, 2>{1, 1}));
  for (int generation = 2; generation <= 20; ++generation) {
    std::ofstream(upstreams) << "mythical-mysfits-nolike:80=127.0.0.1:" << 9000 + generation
                             << "\n";
    ASSERT_TRUE(state.reload().ok());
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (state.serving_generation() < generation && std::chrono::steady_clock::now() < deadline)
      std::this_thread::yield();
    ASSERT_EQ(state.serving_generation(), generation);
    EXPECT_EQ(generation_per_worker(server, state), (std::array<int, 2>{generation, generation}));
  }
  // Each reload replaced the monolith's one target; the replaced ones drain for the default
  // 300 s. Reading the list changes nothing.
  EXPECT_EQ(state.draining().size(), 19u);
  EXPECT_EQ(state.draining().size(), 19u);

  stop = true;
  reader.join();
  server.shutdown();
  serving.join();
}

}  // namespace
}  // namespace mysfits::gateway
