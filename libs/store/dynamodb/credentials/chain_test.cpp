#include "store/dynamodb/credentials/chain.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <mutex>
#include <thread>

#include "core/io_context.hpp"

namespace mysfits::store::dynamodb::credentials {
namespace {

using namespace std::chrono_literals;
using std::chrono::system_clock;

// A provider the test scripts: configured or not, and what each load answers. Loads complete
// after a short timer on the caller's io_context, as a network provider would.
class ScriptedProvider final : public Provider {
 public:
  ScriptedProvider(std::string name, std::optional<std::string> skip_reason)
      : name_(std::move(name)), skip_(std::move(skip_reason)) {}

  std::string name() const override { return name_; }
  std::optional<std::string> not_configured() const override { return skip_; }
  void load(CredentialsCallback done) override {
    ++loads;
    core::Result<Credentials> answer = next();
    auto timer = std::make_shared<boost::asio::steady_timer>(core::current_io(), 20ms);
    timer->async_wait([timer, answer, done = std::move(done)](auto) { done(answer); });
  }

  // Each load answers with a new key "K<n>" expiring at expires, or fails when fail is set.
  std::atomic<int> loads{0};
  std::atomic<bool> fail{false};
  std::mutex mutex;
  std::optional<system_clock::time_point> expires;

 private:
  core::Result<Credentials> next() {
    if (fail) {
      return core::Error{core::Errc::kUnavailable, "scripted failure"};
    }
    std::lock_guard lock(mutex);
    Credentials c;
    c.access_key_id = "K" + std::to_string(loads.load());
    c.secret_access_key = "S";
    c.expiration = expires;
    c.source = name_;
    return c;
  }

  std::string name_;
  std::optional<std::string> skip_;
};

// A clock the test moves by hand.
struct ManualClock {
  std::shared_ptr<std::atomic<system_clock::rep>> ticks =
      std::make_shared<std::atomic<system_clock::rep>>(
          system_clock::from_time_t(1'700'000'000).time_since_epoch().count());
  Clock clock() const {
    return [t = ticks] { return system_clock::time_point(system_clock::duration(t->load())); };
  }
  system_clock::time_point now() const { return clock()(); }
  void advance(system_clock::duration d) { *ticks += d.count(); }
};

// Calls chain.get() on this thread and runs the io_context until it completes.
core::Result<Credentials> get_now(Chain& chain, boost::asio::io_context& io) {
  std::optional<core::Result<Credentials>> out;
  io.restart();
  auto guard = boost::asio::make_work_guard(io);
  chain.get([&](core::Result<Credentials> r) { out = std::move(r); });
  auto deadline = std::chrono::steady_clock::now() + 10s;
  while (!out && std::chrono::steady_clock::now() < deadline) {
    io.run_one_for(100ms);
  }
  return out ? std::move(*out)
             : core::Result<Credentials>(core::Error{core::Errc::kTimeout, "no answer"});
}

struct ChainFixture : ::testing::Test {
  boost::asio::io_context io;
  core::IoScope scope{io};
  ManualClock clock;
};

TEST_F(ChainFixture, SkipsUnconfiguredProvidersAndUsesTheFirstConfiguredOne) {
  auto* first = new ScriptedProvider("first", "FIRST_VAR not set");
  auto* second = new ScriptedProvider("second", std::nullopt);
  auto* third = new ScriptedProvider("third", std::nullopt);
  std::vector<std::unique_ptr<Provider>> providers;
  providers.emplace_back(first);
  providers.emplace_back(second);
  providers.emplace_back(third);
  Chain chain(std::move(providers), clock.clock());
  auto credentials = get_now(chain, io);
  ASSERT_TRUE(credentials.ok()) << credentials.error().message;
  EXPECT_EQ(credentials->source, "second");
  EXPECT_EQ(first->loads, 0);
  EXPECT_EQ(third->loads, 0);
}

TEST_F(ChainFixture, NothingConfiguredNamesEveryProviderTried) {
  std::vector<std::unique_ptr<Provider>> providers;
  providers.push_back(
      std::make_unique<ScriptedProvider>("environment", "AWS_ACCESS_KEY_ID not set"));
  providers.push_back(std::make_unique<ScriptedProvider>("IMDSv2", "disabled"));
  Chain chain(std::move(providers), clock.clock());
  auto credentials = chain.resolve_blocking();
  ASSERT_FALSE(credentials.ok());
  EXPECT_EQ(credentials.error().message,
            "no AWS credentials found (tried environment: AWS_ACCESS_KEY_ID not set; IMDSv2: "
            "disabled)");
}

TEST_F(ChainFixture, AConfiguredProviderThatFailsStopsTheWalk) {
  auto* broken = new ScriptedProvider("web identity", std::nullopt);
  broken->fail = true;
  auto* fallback = new ScriptedProvider("IMDSv2", std::nullopt);
  std::vector<std::unique_ptr<Provider>> providers;
  providers.push_back(std::make_unique<ScriptedProvider>("environment", "not set"));
  providers.emplace_back(broken);
  providers.emplace_back(fallback);
  Chain chain(std::move(providers), clock.clock());
  auto credentials = chain.resolve_blocking();
  ASSERT_FALSE(credentials.ok());
  EXPECT_NE(credentials.error().message.find("web identity: scripted failure"), std::string::npos);
  EXPECT_NE(credentials.error().message.find("environment: not set"), std::string::npos);
  EXPECT_EQ(fallback->loads, 0);
}

TEST_F(ChainFixture, LongTermCredentialsAreLoadedOnce) {
  auto* provider = new ScriptedProvider("environment", std::nullopt);
  std::vector<std::unique_ptr<Provider>> providers;
  providers.emplace_back(provider);
  Chain chain(std::move(providers), clock.clock());
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(get_now(chain, io).ok());
    clock.advance(24h);
  }
  EXPECT_EQ(provider->loads, 1);
}

TEST_F(ChainFixture, RefreshesInTheBackgroundAheadOfExpiry) {
  auto* provider = new ScriptedProvider("web identity", std::nullopt);
  provider->expires = clock.now() + 1h;
  std::vector<std::unique_ptr<Provider>> providers;
  providers.emplace_back(provider);
  Chain chain(std::move(providers), clock.clock(), {300s, 60s, 5s});
  EXPECT_EQ(get_now(chain, io)->access_key_id, "K1");

  // Inside the prefetch window: the caller still gets K1 at once, one refresh starts.
  clock.advance(1h - 200s);
  {
    std::lock_guard lock(provider->mutex);
    provider->expires = clock.now() + 1h;
  }
  std::optional<std::string> key;
  chain.get([&](core::Result<Credentials> r) { key = r->access_key_id; });
  EXPECT_EQ(key, "K1") << "answered inline from the cache";
  chain.get([&](core::Result<Credentials> r) { key = r->access_key_id; });
  EXPECT_EQ(provider->loads, 2) << "the second caller joins the refresh in flight";
  io.restart();
  io.run();
  EXPECT_EQ(get_now(chain, io)->access_key_id, "K2");
  EXPECT_EQ(provider->loads, 2);
}

TEST_F(ChainFixture, CallersWaitWhenExpiryIsClose) {
  auto* provider = new ScriptedProvider("container credentials", std::nullopt);
  provider->expires = clock.now() + 10min;
  std::vector<std::unique_ptr<Provider>> providers;
  providers.emplace_back(provider);
  Chain chain(std::move(providers), clock.clock(), {300s, 60s, 5s});
  ASSERT_TRUE(get_now(chain, io).ok());
  clock.advance(10min - 30s);  // 30 s left: too close to sign with
  EXPECT_EQ(get_now(chain, io)->access_key_id, "K2");
}

TEST_F(ChainFixture, AFailedRefreshKeepsUnexpiredKeysAndRetriesLater) {
  auto* provider = new ScriptedProvider("IMDSv2", std::nullopt);
  provider->expires = clock.now() + 10min;
  std::vector<std::unique_ptr<Provider>> providers;
  providers.emplace_back(provider);
  Chain chain(std::move(providers), clock.clock(), {300s, 60s, 5s});
  ASSERT_TRUE(get_now(chain, io).ok());

  provider->fail = true;
  clock.advance(10min - 3s);
  auto stale = get_now(chain, io);
  ASSERT_TRUE(stale.ok()) << "still valid for 3 s: better than an error";
  EXPECT_EQ(stale->access_key_id, "K1");

  clock.advance(4s);  // now expired, and inside retry_after: the last error, no new load
  int loads = provider->loads;
  auto expired = get_now(chain, io);
  EXPECT_FALSE(expired.ok());
  EXPECT_EQ(provider->loads, loads);

  provider->fail = false;
  clock.advance(10s);
  auto recovered = get_now(chain, io);
  ASSERT_TRUE(recovered.ok());
  EXPECT_EQ(recovered->access_key_id, "K" + std::to_string(provider->loads.load()));
}

TEST_F(ChainFixture, ManyThreadsShareOneRefresh) {
  auto* provider = new ScriptedProvider("web identity", std::nullopt);
  provider->expires = clock.now() + 1h;
  std::vector<std::unique_ptr<Provider>> providers;
  providers.emplace_back(provider);
  Chain chain(std::move(providers), clock.clock());
  std::atomic<int> ok{0};
  // Each thread's io_context outlives every thread: the refresh posts its answer from another
  // thread, and Asio may still be waking the receiving context after it ran the handler.
  std::vector<std::unique_ptr<boost::asio::io_context>> contexts;
  for (int t = 0; t < 8; ++t)
    contexts.push_back(std::make_unique<boost::asio::io_context>());
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      boost::asio::io_context& thread_io = *contexts[t];
      core::IoScope thread_scope(thread_io);
      for (int i = 0; i < 50; ++i) {
        if (get_now(chain, thread_io).ok()) {
          ++ok;
        }
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  EXPECT_EQ(ok, 400);
  EXPECT_EQ(provider->loads, 1);
  EXPECT_EQ(chain.loads(), 1u);
}

TEST(StandardChain, FailsAtOnceWhenNothingIsConfigured) {
  auto chain = Chain::standard(
      fixed_environment({{"HOME", "/nonexistent-home"}, {"AWS_EC2_METADATA_DISABLED", "true"}}));
  auto credentials = chain->resolve_blocking();
  ASSERT_FALSE(credentials.ok());
  const std::string& message = credentials.error().message;
  for (const char* tried :
       {"environment", "shared credentials file", "web identity", "container credentials",
        "IMDSv2: disabled by AWS_EC2_METADATA_DISABLED"}) {
    EXPECT_NE(message.find(tried), std::string::npos) << tried << " in " << message;
  }
}

TEST(StandardChain, EnvironmentKeysComeFirst) {
  auto chain = Chain::standard(fixed_environment({{"AWS_ACCESS_KEY_ID", "AKID"},
                                                  {"AWS_SECRET_ACCESS_KEY", "S"},
                                                  {"AWS_ROLE_ARN", "arn:aws:iam::1:role/r"},
                                                  {"AWS_WEB_IDENTITY_TOKEN_FILE", "/none"}}));
  auto credentials = chain->resolve_blocking();
  ASSERT_TRUE(credentials.ok());
  EXPECT_EQ(credentials->source, "environment");
}

}  // namespace
}  // namespace mysfits::store::dynamodb::credentials
