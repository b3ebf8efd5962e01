#pragma once

#include <boost/json/object.hpp>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cli/canary_analysis.hpp"
#include "cli/stage_plan.hpp"
#include "core/result.hpp"

namespace mysfits::cli {

// What `mysfits migrate --to STAGE --canary 10,50,100` asks the running `up` to do (POST
// /canary): move the new stage's routes to the services it adds in weighted steps, each held
// for `step` and judged on the new target groups' traffic.
struct CanarySpec {
  Stage to = Stage::kLike;
  std::vector<int> weights;  // percent for the new services, increasing, ending at 100
  std::chrono::milliseconds step{30'000};
  CanaryThresholds thresholds;
  ExecOverrides exec;  // services the new stage adds, run from the user's command
};

// An inconclusive window (too few requests) is held for another, at most this many times; then
// the step fails.
inline constexpr int kMaxExtraWindows = 3;

// "10,50,100" -> {10, 50, 100}. Each 1-100, strictly increasing, the last 100.
core::Result<std::vector<int>> parse_canary_weights(std::string_view text);

boost::json::object to_json(const CanarySpec& spec);
// The POST /canary body; every value checked (a 400's message says which is wrong).
core::Result<CanarySpec> canary_spec_from_json(std::string_view body);

// "exec": {"like": "COMMAND"} of a /stage or /canary body; an error names what is wrong.
core::Result<ExecOverrides> exec_from_json(const boost::json::object& body);

// One step of a canary as it goes: its weight, the traffic of the new target groups since the
// step began, and the verdict ("running" until judged).
struct CanaryStepReport {
  int weight = 0;
  TrafficWindow window;
  int windows = 0;  // analysis windows held (more than one when inconclusive)
  std::string verdict = "running";
  std::string reason;
};

// The whole canary: GET /canary on up's control port, PUT /canary to the gateway's status page,
// and what `mysfits migrate --canary` prints. state: starting, running, succeeded, failed or
// aborted.
struct CanaryReport {
  std::string from;
  std::string to;
  std::vector<std::string> services;  // the new target groups' Services
  std::string state = "starting";
  std::string message;
  CanarySpec spec;
  std::vector<CanaryStepReport> steps;

  bool finished() const { return state == "succeeded" || state == "failed" || state == "aborted"; }
};

boost::json::object to_json(const CanaryReport& report);
core::Result<CanaryReport> canary_report_from_json(std::string_view text);

// The new target groups' counters in a gateway's /status.json: the sum over every target group
// whose upstream is one of services ("mythical-mysfits-like" matches "mythical-mysfits-like:80").
TrafficCounters traffic_of(const boost::json::object& status,
                           const std::vector<std::string>& services);

}  // namespace mysfits::cli
