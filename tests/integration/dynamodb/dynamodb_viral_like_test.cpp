// A viral mysfit: 64 connections like one mysfit through the monolith while DynamoDB takes at
// most 1,000 write units a second on its item, as one partition does however many pods run.
// And a quiet one: one connection, where a like waits for nobody. Every like must be answered
// 200 and stored exactly once; the figures (likes/s, the store writes that carried them, p50 and
// p99) are printed for the record, never asserted as timings.
#include <gtest/gtest.h>

#include <iostream>
#include <sstream>

#include "chaos/traffic.hpp"
#include "integration/dynamodb/dynalite.hpp"

namespace mysfits::testing {
namespace {

using namespace std::chrono_literals;

constexpr const char* kViral = "a901bb08-1985-42f5-bb77-27439ac14300";

struct Figures {
  chaos::TrafficReport report;
  int writes = 0;
  int throttled = 0;
  std::int64_t stored = 0;
  std::vector<std::string> problems;
  std::string text;
};

// `connections` like kViral through a monolith on DynamoDB whose item takes 1,000 write units
// a second, for `duration`.
Figures like_one_mysfit(int connections, std::chrono::milliseconds duration) {
  DynamoDbEmulator dynamodb(FaultProxyOptions{.item_write_limit = 1'000});
  std::string output;
  EXPECT_EQ(run_seed(dynamodb.url(), "Viral", &output), 0) << output;
  DynamoMonolith monolith(dynamodb.url(), "Viral");
  FaultProxy& proxy = dynamodb.proxy();

  chaos::TrafficOptions options;
  options.port = monolith.port();
  options.duration = duration;
  options.connections = connections;
  options.read_percent = 0;
  options.like_percent = 100;
  Figures figures;
  chaos::Snapshot before = chaos::snapshot(options.host, options.port);
  const int writes_before = proxy.applied_writes;
  const int throttled_before = proxy.throttled;
  figures.report = chaos::run_traffic(options, {kViral});
  figures.writes = proxy.applied_writes - writes_before;
  figures.throttled = proxy.throttled - throttled_before;
  chaos::Snapshot after = chaos::snapshot(options.host, options.port);
  figures.problems = chaos::audit(before, after, figures.report);
  figures.stored = after[kViral].likes - before[kViral].likes;

  const auto likes = figures.report.likes_acknowledged[kViral];
  const double seconds = static_cast<double>(figures.report.elapsed.count()) / 1000.0;
  std::ostringstream text;
  text.setf(std::ios::fixed);
  text.precision(1);
  text << connections << " connections on one mysfit: " << likes << " likes answered 200 in "
       << seconds << " s (" << likes / seconds << " likes/s), " << figures.report.failed
       << " failed; " << figures.writes << " store writes (" << figures.writes / seconds
       << " writes/s, " << static_cast<double>(likes) / std::max(figures.writes, 1)
       << " likes a write), " << figures.throttled << " throttled; p50 "
       << figures.report.percentile(50) << " ms, p99 " << figures.report.percentile(99) << " ms";
  figures.text = text.str();
  std::cout << figures.text << std::endl;
  ::testing::Test::RecordProperty("figures", figures.text);
  return figures;
}

void expect_every_like_stored_once(Figures& figures) {
  EXPECT_EQ(figures.report.failed, 0u) << chaos::describe(figures.report);
  EXPECT_EQ(figures.report.by_status[200], figures.report.requests)
      << chaos::describe(figures.report);
  EXPECT_TRUE(figures.problems.empty()) << figures.problems.front();
  EXPECT_EQ(figures.stored, static_cast<std::int64_t>(figures.report.likes_acknowledged[kViral]))
      << "every answered like stored once";
}

TEST(ViralMysfit, SixtyFourConnectionsLikeOneMysfitPastItsItemsWriteLimit) {
  Figures figures = like_one_mysfit(64, 5s);
  expect_every_like_stored_once(figures);
  // Not a timing: with 64 likes waiting at any moment, each write must carry many of them, or
  // the item's limit caps the likes instead of the writes.
  const auto likes = figures.report.likes_acknowledged[kViral];
  EXPECT_GE(static_cast<double>(likes) / std::max(figures.writes, 1), 8.0) << figures.text;
}

TEST(ViralMysfit, OneConnectionOnAQuietMysfitWaitsForNobody) {
  Figures figures = like_one_mysfit(1, 2s);
  expect_every_like_stored_once(figures);
  EXPECT_EQ(figures.writes, static_cast<int>(figures.report.likes_acknowledged[kViral]))
      << "alone, each like is its own write, sent at once";
}

}  // namespace
}  // namespace mysfits::testing
