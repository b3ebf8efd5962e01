#include "store/like_batcher.hpp"

#include <gtest/gtest.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <condition_variable>
#include <future>
#include <thread>

#include "core/io_context.hpp"

namespace mysfits::store {
namespace {

namespace asio = boost::asio;

// A store whose writes end when the test says so.
struct HeldWrites {
  struct Write {
    std::string id;
    std::int64_t count;
    Callback<std::int64_t> done;
  };
  std::vector<Write> writes;

  LikeBatcher::WriteLikes writer() {
    return [this](const std::string& id, std::int64_t count, Callback<std::int64_t> done) {
      writes.push_back({id, count, std::move(done)});
    };
  }
};

// What one like was answered, once it was.
struct Answer {
  bool answered = false;
  core::Result<std::int64_t> result = core::Error{};

  Callback<std::int64_t> callback() {
    return [this](core::Result<std::int64_t> r) {
      answered = true;
      result = std::move(r);
    };
  }
};

struct OneThread : ::testing::Test {
  asio::io_context io;
  core::IoScope scope{io};
  HeldWrites store;
  LikeBatcher batcher{store.writer()};

  void run() {
    io.restart();
    io.poll();
  }
};

TEST_F(OneThread, ALikeOfAQuietMysfitIsWrittenAtOnce) {
  Answer answer;
  batcher.like("a", answer.callback());
  ASSERT_EQ(store.writes.size(), 1u);
  EXPECT_EQ(store.writes[0].id, "a");
  EXPECT_EQ(store.writes[0].count, 1);
  EXPECT_FALSE(answer.answered) << "not before its write ended";
  store.writes[0].done(41);
  EXPECT_TRUE(answer.answered);
  EXPECT_EQ(answer.result.value(), 41);
}

TEST_F(OneThread, LikesThatArriveDuringAWriteGoTogetherInTheNext) {
  Answer first, second, third;
  batcher.like("a", first.callback());
  batcher.like("a", second.callback());
  batcher.like("a", third.callback());
  ASSERT_EQ(store.writes.size(), 1u) << "one write at a time per mysfit";
  store.writes[0].done(10);
  EXPECT_EQ(first.result.value(), 10);
  EXPECT_FALSE(second.answered);
  run();
  ASSERT_EQ(store.writes.size(), 2u);
  EXPECT_EQ(store.writes[1].count, 2) << "the two waiting likes, in one write";
  store.writes[1].done(12);
  EXPECT_EQ(second.result.value(), 12) << "the count that write produced";
  EXPECT_EQ(third.result.value(), 12);
  run();
  EXPECT_EQ(store.writes.size(), 2u) << "nothing left to write";
}

TEST_F(OneThread, AFailedWriteFailsExactlyItsLikes) {
  Answer carried, waiting;
  batcher.like("a", carried.callback());
  batcher.like("a", waiting.callback());
  store.writes[0].done(core::Error{core::Errc::kBadGateway, "the store failed"});
  ASSERT_TRUE(carried.answered);
  EXPECT_EQ(carried.result.error().code, core::Errc::kBadGateway);
  EXPECT_FALSE(waiting.answered) << "it was not in the failed write";
  run();
  ASSERT_EQ(store.writes.size(), 2u);
  store.writes[1].done(1);
  EXPECT_EQ(waiting.result.value(), 1);
}

TEST_F(OneThread, MysfitsDoNotWaitForEachOther) {
  Answer a, b;
  batcher.like("a", a.callback());
  batcher.like("b", b.callback());
  ASSERT_EQ(store.writes.size(), 2u);
  store.writes[1].done(3);
  EXPECT_TRUE(b.answered);
  EXPECT_FALSE(a.answered);
}

TEST_F(OneThread, AMysfitIsQuietAgainOnceItsWritesEnd) {
  Answer first, later;
  batcher.like("a", first.callback());
  store.writes[0].done(1);
  batcher.like("a", later.callback());
  ASSERT_EQ(store.writes.size(), 2u) << "written at once, as on a quiet mysfit";
  EXPECT_EQ(store.writes[1].count, 1);
}

// A server thread: its own io_context, run until the test ends.
struct ServerThread {
  asio::io_context io;
  asio::executor_work_guard<asio::io_context::executor_type> guard = asio::make_work_guard(io);
  std::thread thread{[this] {
    core::IoScope scope(io);
    io.run();
  }};
  ~ServerThread() {
    guard.reset();
    io.stop();
    thread.join();
  }
  // Runs work on this thread and waits until it has.
  template <class Work>
  void run(Work work) {
    std::promise<void> ran;
    asio::post(io, [&] {
      work();
      ran.set_value();
    });
    ran.get_future().wait();
  }
};

// Two server threads: each like is answered on its own thread, and the next write runs on the
// thread that ran the one before.
TEST(LikeBatcherThreads, EachLikeIsAnsweredOnItsOwnThread) {
  std::mutex mutex;
  std::condition_variable written;
  std::vector<std::pair<std::thread::id, Callback<std::int64_t>>> writes;
  LikeBatcher batcher([&](const std::string&, std::int64_t, Callback<std::int64_t> done) {
    std::lock_guard lock(mutex);
    writes.emplace_back(std::this_thread::get_id(), std::move(done));
    written.notify_all();
  });
  auto wait_for_writes = [&](std::size_t n) {
    std::unique_lock lock(mutex);
    EXPECT_TRUE(
        written.wait_for(lock, std::chrono::seconds(10), [&] { return writes.size() >= n; }));
    return writes.size() >= n ? writes[n - 1]
                              : std::pair<std::thread::id, Callback<std::int64_t>>{};
  };
  std::promise<std::thread::id> answered_a, answered_b;
  ServerThread a, b;  // after what their handlers touch: they stop first
  a.run([&] {
    batcher.like(
        "m", [&](core::Result<std::int64_t>) { answered_a.set_value(std::this_thread::get_id()); });
  });
  b.run([&] {
    batcher.like(
        "m", [&](core::Result<std::int64_t>) { answered_b.set_value(std::this_thread::get_id()); });
  });
  auto first = wait_for_writes(1);
  a.run([&] { first.second(1); });
  EXPECT_EQ(answered_a.get_future().get(), a.thread.get_id());
  auto second = wait_for_writes(2);
  ASSERT_TRUE(second.second);
  EXPECT_EQ(second.first, a.thread.get_id());
  a.run([&] { second.second(2); });
  EXPECT_EQ(answered_b.get_future().get(), b.thread.get_id());
}

}  // namespace
}  // namespace mysfits::store
