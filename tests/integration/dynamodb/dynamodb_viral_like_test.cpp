// A viral mysfit: 64 connections like one mysfit through the monolith while DynamoDB takes at
// most 1,000 write units a second on its item, as one partition does however many pods run.
// Every like must be answered 200 and stored exactly once; the figures (likes/s, the store
// writes that carried them, p99) are printed for the record, never asserted as timings.
#include <gtest/gtest.h>

#include <iostream>
#include <sstream>

#include "chaos/traffic.hpp"
#include "integration/dynamodb/dynalite.hpp"

namespace mysfits::testing {
namespace {

using namespace std::chrono_literals;

constexpr const char* kViral = "a901bb08-1985-42f5-bb77-27439ac14300";

TEST(ViralMysfit, SixtyFourConnectionsLikeOneMysfitPastItsItemsWriteLimit) {
  DynamoDbEmulator dynamodb(FaultProxyOptions{.item_write_limit = 1'000});
  std::string output;
  ASSERT_EQ(run_seed(dynamodb.url(), "Viral", &output), 0) << output;
  DynamoMonolith monolith(dynamodb.url(), "Viral");
  FaultProxy& proxy = dynamodb.proxy();

  chaos::TrafficOptions options;
  options.port = monolith.port();
  options.duration = 5s;
  options.connections = 64;
  options.read_percent = 0;
  options.like_percent = 100;
  chaos::Snapshot before = chaos::snapshot(options.host, options.port);
  const int writes_before = proxy.applied_writes;
  const int throttled_before = proxy.throttled;
  chaos::TrafficReport report = chaos::run_traffic(options, {kViral});
  const int writes = proxy.applied_writes - writes_before;
  const int throttled = proxy.throttled - throttled_before;
  chaos::Snapshot after = chaos::snapshot(options.host, options.port);

  const auto likes = report.likes_acknowledged[kViral];
  const double seconds = static_cast<double>(report.elapsed.count()) / 1000.0;
  std::ostringstream figures;
  figures.setf(std::ios::fixed);
  figures.precision(1);
  figures << "viral mysfit: " << likes << " likes answered 200 in " << seconds << " s ("
          << likes / seconds << " likes/s), " << report.failed << " failed; " << writes
          << " store writes (" << writes / seconds << " writes/s, "
          << static_cast<double>(likes) / std::max(writes, 1) << " likes a write), " << throttled
          << " throttled; p50 " << report.percentile(50) << " ms, p99 " << report.percentile(99)
          << " ms";
  std::cout << figures.str() << std::endl;
  ::testing::Test::RecordProperty("figures", figures.str());

  EXPECT_EQ(report.failed, 0u) << chaos::describe(report);
  EXPECT_EQ(report.by_status[200], report.requests) << chaos::describe(report);
  auto problems = chaos::audit(before, after, report);
  EXPECT_TRUE(problems.empty()) << problems.front();
  EXPECT_EQ(after[kViral].likes - before[kViral].likes, static_cast<std::int64_t>(likes))
      << "every answered like stored once";
  // Not a timing: with 64 likes waiting at any moment, each write must carry many of them, or
  // the item's limit caps the likes instead of the writes.
  EXPECT_GE(static_cast<double>(likes) / std::max(writes, 1), 8.0) << figures.str();
}

}  // namespace
}  // namespace mysfits::testing
