#include "cli/canary_spec.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cmath>

#include "cli/canary_migration.hpp"
#include "cli/canary_view.hpp"

namespace mysfits::cli {
namespace {

TEST(CanaryWeights, AreIncreasingPercentagesEndingAtOneHundred) {
  EXPECT_EQ(*parse_canary_weights("10,50,100"), (std::vector<int>{10, 50, 100}));
  EXPECT_EQ(*parse_canary_weights("100"), (std::vector<int>{100}));
  for (const char* bad : {"", "10,50", "0,100", "10,101", "50,10,100", "10,10,100", "10,,100",
                          "10,100,", "ten,100", "10.5,100", " 10,100"}) {
    auto parsed = parse_canary_weights(bad);
    EXPECT_FALSE(parsed.ok()) << '"' << bad << '"';
  }
  EXPECT_NE(parse_canary_weights("50,10,100").error().message.find("increase"), std::string::npos);
  EXPECT_NE(parse_canary_weights("10,50").error().message.find("end at 100"), std::string::npos);
}

TEST(CanarySpecJson, RoundTripsAndRefusesEachBadValueByName) {
  CanarySpec spec;
  spec.to = Stage::kLikeAdopt;
  spec.weights = {5, 100};
  spec.step = std::chrono::milliseconds(1'500);
  spec.thresholds = {2.5, 250, 7};
  spec.exec = {{"adopt", "python3 adopt.py"}};
  auto back = canary_spec_from_json(boost::json::serialize(to_json(spec)));
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back->to, Stage::kLikeAdopt);
  EXPECT_EQ(back->weights, spec.weights);
  EXPECT_EQ(back->step, spec.step);
  EXPECT_EQ(back->thresholds.max_error_rate_pct, 2.5);
  EXPECT_EQ(back->thresholds.max_p99_ms, 250);
  EXPECT_EQ(back->thresholds.min_requests, 7u);
  EXPECT_EQ(back->exec, spec.exec);

  auto defaults = canary_spec_from_json(R"({"to": "like", "weights": [10, 100]})");
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->step, std::chrono::seconds(30));
  EXPECT_EQ(defaults->thresholds.min_requests, 20u);

  const std::pair<const char*, const char*> refused[] = {
      {"[]", "JSON object"},
      {R"({"to": "everything", "weights": [100]})", "\"to\""},
      {R"({"to": "like"})", "\"weights\""},
      {R"({"to": "like", "weights": [50, 10]})", "increase"},
      {R"({"to": "like", "weights": [100], "step_seconds": 0})", "\"step_seconds\""},
      {R"({"to": "like", "weights": [100], "max_error_rate_pct": 101})", "\"max_error_rate_pct\""},
      {R"({"to": "like", "weights": [100], "max_p99_ms": "fast"})", "\"max_p99_ms\""},
      {R"({"to": "like", "weights": [100], "min_requests": -1})", "\"min_requests\""},
      {R"({"to": "like", "weights": [100], "exec": {"gateway": "nginx"}})", "gateway"},
      {R"({"to": "like", "weights": [100], "exec": ["like"]})", "\"exec\""},
  };
  for (const auto& [body, named] : refused) {
    auto parsed = canary_spec_from_json(body);
    ASSERT_FALSE(parsed.ok()) << body;
    EXPECT_EQ(parsed.error().code, core::Errc::kBadRequest);
    EXPECT_NE(parsed.error().message.find(named), std::string::npos)
        << body << " -> " << parsed.error().message;
  }
}

boost::json::object group(const char* upstream, std::uint64_t requests, std::uint64_t errors,
                          std::vector<std::uint64_t> counts) {
  return {{"upstream", upstream},
          {"traffic",
           {{"requests", requests},
            {"errors_5xx", errors},
            {"latency_ms", {{"le", {1, 10}}, {"counts", boost::json::value_from(counts)}}}}}};
}

TEST(CanaryTraffic, SumsEveryTargetGroupOfTheNewServicesAndNothingElse) {
  boost::json::object status{{"target_groups",
                              {group("mythical-mysfits-like:80", 10, 1, {8, 1, 1}),
                               group("mythical-mysfits-like:80", 5, 0, {5, 0, 0}),
                               group("mythical-mysfits-nolike:80", 1000, 500, {0, 0, 1000})}}};
  auto traffic = traffic_of(status, {"mythical-mysfits-like"});
  EXPECT_EQ(traffic.requests, 15u);
  EXPECT_EQ(traffic.errors_5xx, 1u);
  EXPECT_EQ(traffic.counts, (std::vector<std::uint64_t>{13, 1, 1}));
  ASSERT_EQ(traffic.upper_ms.size(), 3u);
  EXPECT_TRUE(std::isinf(traffic.upper_ms.back()));
  // 15 requests: the 99th percentile is the 15th, past the last bound.
  EXPECT_TRUE(std::isinf(window_between({}, traffic).p99_ms));
  EXPECT_EQ(traffic_of(status, {"mythical-mysfits-adopt"}).requests, 0u);
}

TEST(CanaryReportJson, RoundTripsWithAnUnboundedP99AsNull) {
  CanaryReport report;
  report.from = "monolith";
  report.to = "like";
  report.services = {"mythical-mysfits-like"};
  report.state = "failed";
  report.message = "canary failed at 10%";
  report.spec.weights = {10, 100};
  CanaryStepReport step;
  step.weight = 10;
  step.window = {40, 8, std::numeric_limits<double>::infinity()};
  step.windows = 1;
  step.verdict = "breach";
  step.reason = "5xx rate 20.0 % over 1 % (8 of 40)";
  report.steps.push_back(step);
  const auto json = to_json(report);
  EXPECT_TRUE(json.at("steps").as_array()[0].as_object().at("p99_ms").is_null());
  auto back = canary_report_from_json(boost::json::serialize(json));
  ASSERT_TRUE(back.ok());
  EXPECT_TRUE(back->finished());
  EXPECT_EQ(back->steps.size(), 1u);
  EXPECT_TRUE(std::isinf(back->steps[0].window.p99_ms));
  EXPECT_EQ(back->steps[0].window.errors_5xx, 8u);
  EXPECT_EQ(back->spec.weights, report.spec.weights);

  const auto line = canary_step_line(*back, 0);
  EXPECT_NE(line.find("step 1/2"), std::string::npos) << line;
  EXPECT_NE(line.find(" 10%"), std::string::npos) << line;
  EXPECT_NE(line.find("breach: 5xx rate 20.0 %"), std::string::npos) << line;
  EXPECT_EQ(canary_outcome(*back), "failed: canary failed at 10%");
  const auto header = canary_header(*back);
  EXPECT_NE(header.find("canary from stage monolith to like: 10%, 100% of the moved routes to "
                        "mythical-mysfits-like"),
            std::string::npos)
      << header;
}

TEST(CanaryRefusal, OnlyAStageThatAddsServicesCanBeCanaried) {
  EXPECT_EQ(canary_refusal(Stage::kMonolith, Stage::kLike), "");
  EXPECT_EQ(canary_refusal(Stage::kMonolith, Stage::kLikeAdopt), "");
  EXPECT_EQ(canary_refusal(Stage::kLike, Stage::kLikeAdopt), "");
  EXPECT_NE(canary_refusal(Stage::kLike, Stage::kLike).find("already"), std::string::npos);
  EXPECT_NE(canary_refusal(Stage::kLikeAdopt, Stage::kLike).find("takes adopt away"),
            std::string::npos);
}

}  // namespace
}  // namespace mysfits::cli
