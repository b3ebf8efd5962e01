#include "services/gateway/traffic_counters.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>

#include "services/gateway/gateway_state.hpp"
#include "support/process.hpp"

namespace mysfits::gateway {
namespace {

using std::chrono::microseconds;
using std::chrono::milliseconds;

std::vector<std::uint64_t> counts_of(const TrafficCounters& traffic) {
  return boost::json::value_to<std::vector<std::uint64_t>>(
      traffic.to_json().at("latency_ms").at("counts"));
}

TEST(TrafficCounters, CountsRequestsFiveHundredsAndEachLatencyInTheFirstBucketThatHoldsIt) {
  TrafficCounters traffic;
  traffic.record(200, microseconds(300));  // <= 1 ms
  traffic.record(200, milliseconds(1));    // a bound belongs to its own bucket
  traffic.record(404, milliseconds(3));    // <= 5 ms; a 4xx is no error of the target group's
  traffic.record(500, milliseconds(499));  // <= 500 ms
  traffic.record(502, milliseconds(501));  // <= 750 ms
  traffic.record(504, std::chrono::seconds(11));  // past the last bound
  EXPECT_EQ(traffic.requests(), 6u);
  EXPECT_EQ(traffic.errors_5xx(), 3u);

  auto counts = counts_of(traffic);
  ASSERT_EQ(counts.size(), TrafficCounters::kUpperMs.size() + 1);
  EXPECT_EQ(counts[0], 2u);
  EXPECT_EQ(counts[2], 1u);   // le 5
  EXPECT_EQ(counts[9], 1u);   // le 500
  EXPECT_EQ(counts[10], 1u);  // le 750
  EXPECT_EQ(counts.back(), 1u);
  const auto json = traffic.to_json();
  EXPECT_EQ(json.at("latency_ms").at("le").as_array().size(), TrafficCounters::kUpperMs.size());
  EXPECT_EQ(json.at("requests").as_uint64(), 6u);
}

// A canary step reloads the gateway; the window it analyses spans the reload, so a target
// group's counts carry over to the next snapshot while it keeps its id.
TEST(TrafficCounters, ATargetGroupKeepsItsCountsAcrossAReload) {
  const std::string upstreams = testing::temp_dir() + "/traffic-upstreams";
  std::ofstream(upstreams) << "mythical-mysfits-nolike:80=127.0.0.1:9000\n";
  Sources sources;
  sources.ingress_files = {testing::source_path("tests/data/ingress/seed-ingress.yaml")};
  sources.upstreams_file = upstreams;
  GatewayState state(sources);
  ASSERT_TRUE(state.load().ok());
  ASSERT_FALSE(state.current()->groups.empty());
  const std::string id = state.current()->groups.begin()->first;
  state.current()->group(id)->traffic().record(500, milliseconds(2));

  std::ofstream(upstreams) << "mythical-mysfits-nolike:80=127.0.0.1:9001\n";
  ASSERT_TRUE(state.reload().ok());
  ASSERT_EQ(state.current()->generation, 2);
  const TargetGroup* group = state.current()->group(id);
  ASSERT_NE(group, nullptr);
  EXPECT_EQ(group->traffic().requests(), 1u);
  EXPECT_EQ(group->traffic().errors_5xx(), 1u);
}

}  // namespace
}  // namespace mysfits::gateway
