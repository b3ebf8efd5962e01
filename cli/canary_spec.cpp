#include "cli/canary_spec.hpp"

#include <fmt/format.h>

#include <boost/json.hpp>
#include <charconv>
#include <cmath>
#include <limits>

namespace mysfits::cli {
namespace {

namespace json = boost::json;
using core::Errc;
using core::Error;

Error bad(std::string message) {
  return Error{Errc::kBadRequest, std::move(message)};
}

std::optional<double> number(const json::value* v) {
  if (v == nullptr)
    return std::nullopt;
  if (v->is_int64())
    return static_cast<double>(v->as_int64());
  if (v->is_uint64())
    return static_cast<double>(v->as_uint64());
  if (v->is_double())
    return v->as_double();
  return std::nullopt;
}

// A number at key within [low, high]; the default when the key is absent.
core::Result<double> bounded(const json::object& o, std::string_view key, double fallback,
                             double low, double high) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr)
    return fallback;
  auto n = number(v);
  if (!n || !(*n >= low && *n <= high)) {
    return bad(fmt::format("\"{}\" must be a number from {:g} to {:g}", key, low, high));
  }
  return *n;
}

std::string text(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
}

json::object step_json(const CanaryStepReport& step) {
  json::value p99 = nullptr;  // JSON has no infinity: null is "past the last bucket"
  if (std::isfinite(step.window.p99_ms))
    p99 = step.window.p99_ms;
  return {{"weight", step.weight},
          {"requests", step.window.requests},
          {"errors_5xx", step.window.errors_5xx},
          {"error_rate_pct", step.window.error_rate_pct()},
          {"p99_ms", p99},
          {"windows", step.windows},
          {"verdict", step.verdict},
          {"reason", step.reason}};
}

}  // namespace

core::Result<std::vector<int>> parse_canary_weights(std::string_view text) {
  std::vector<int> weights;
  while (!text.empty()) {
    const auto comma = text.find(',');
    const auto item = text.substr(0, comma);
    int weight = 0;
    const auto [end, ec] = std::from_chars(item.data(), item.data() + item.size(), weight);
    if (ec != std::errc{} || end != item.data() + item.size() || weight < 1 || weight > 100)
      return bad("each canary weight is a whole percentage from 1 to 100, not \"" +
                 std::string(item) + "\"");
    if (!weights.empty() && weight <= weights.back())
      return bad("canary weights must increase (" + std::to_string(weights.back()) + " then " +
                 std::to_string(weight) + ")");
    weights.push_back(weight);
    text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
    if (comma != std::string_view::npos && text.empty())
      return bad("a canary weight is missing after the last comma");
  }
  if (weights.empty() || weights.back() != 100)
    return bad("canary weights end at 100 (all of the moved routes' traffic), e.g. 10,50,100");
  return weights;
}

boost::json::object to_json(const CanarySpec& spec) {
  json::object exec;
  for (const auto& [service, command] : spec.exec)
    exec[service] = command;
  return {{"to", stage_name(spec.to)},
          {"weights", json::value_from(spec.weights)},
          {"step_seconds", static_cast<double>(spec.step.count()) / 1000.0},
          {"max_error_rate_pct", spec.thresholds.max_error_rate_pct},
          {"max_p99_ms", spec.thresholds.max_p99_ms},
          {"min_requests", spec.thresholds.min_requests},
          {"exec", std::move(exec)}};
}

core::Result<ExecOverrides> exec_from_json(const boost::json::object& body) {
  ExecOverrides exec;
  const json::value* v = body.if_contains("exec");
  if (v == nullptr)
    return exec;
  if (!v->is_object())
    return bad("\"exec\" must be an object of SERVICE: COMMAND");
  for (const auto& [service, command] : v->as_object()) {
    if (!command.is_string())
      return bad("\"exec\" must be an object of SERVICE: COMMAND");
    std::string error;
    auto parsed =
        parse_exec_override(std::string(service) + "=" + std::string(command.as_string()), error);
    if (!parsed)
      return bad(error);
    exec.insert(std::move(*parsed));
  }
  return exec;
}

core::Result<CanarySpec> canary_spec_from_json(std::string_view body) {
  boost::system::error_code ec;
  auto doc = json::parse(body, ec);
  if (ec || !doc.is_object())
    return bad("the body must be a JSON object");
  const auto& o = doc.as_object();
  CanarySpec spec;
  auto to = parse_stage(text(o, "to"));
  if (!to)
    return bad("\"to\" must be one of monolith, like, like-adopt");
  spec.to = *to;
  const json::value* weights = o.if_contains("weights");
  if (weights == nullptr || !weights->is_array())
    return bad("\"weights\" must be an array of percentages, e.g. [10, 50, 100]");
  std::string list;
  for (const auto& w : weights->as_array())
    list += (list.empty() ? "" : ",") + (w.is_int64() ? std::to_string(w.as_int64()) : "?");
  auto parsed = parse_canary_weights(list);
  if (!parsed)
    return parsed.error();
  spec.weights = std::move(*parsed);
  auto step = bounded(o, "step_seconds", 30, 0.1, 3600);
  auto rate = bounded(o, "max_error_rate_pct", 1, 0, 100);
  auto p99 = bounded(o, "max_p99_ms", 500, 1, 600'000);
  auto min = bounded(o, "min_requests", 20, 0, 1e9);
  for (const auto* checked : {&step, &rate, &p99, &min}) {
    if (!*checked)
      return checked->error();
  }
  spec.step = std::chrono::milliseconds(static_cast<std::int64_t>(std::llround(*step * 1000)));
  spec.thresholds.max_error_rate_pct = *rate;
  spec.thresholds.max_p99_ms = *p99;
  spec.thresholds.min_requests = static_cast<std::uint64_t>(*min);
  auto exec = exec_from_json(o);
  if (!exec)
    return exec.error();
  spec.exec = std::move(*exec);
  return spec;
}

boost::json::object to_json(const CanaryReport& report) {
  json::array steps;
  for (const auto& step : report.steps)
    steps.push_back(step_json(step));
  auto spec = to_json(report.spec);
  spec.erase("exec");
  return {{"from", report.from},
          {"to", report.to},
          {"services", json::value_from(report.services)},
          {"state", report.state},
          {"message", report.message},
          {"spec", std::move(spec)},
          {"steps", std::move(steps)}};
}

core::Result<CanaryReport> canary_report_from_json(std::string_view body) {
  boost::system::error_code ec;
  auto doc = json::parse(body, ec);
  if (ec || !doc.is_object())
    return bad("a canary report is a JSON object");
  const auto& o = doc.as_object();
  CanaryReport report;
  report.from = text(o, "from");
  report.to = text(o, "to");
  report.state = text(o, "state");
  report.message = text(o, "message");
  if (const auto* services = o.if_contains("services"); services && services->is_array()) {
    for (const auto& s : services->as_array())
      if (s.is_string())
        report.services.emplace_back(s.as_string());
  }
  if (const auto* spec = o.if_contains("spec"); spec && spec->is_object()) {
    if (auto parsed = canary_spec_from_json(json::serialize(*spec)))
      report.spec = std::move(*parsed);
  }
  const json::value* steps = o.if_contains("steps");
  if (report.state.empty() || steps == nullptr || !steps->is_array())
    return bad("a canary report has a \"state\" and \"steps\"");
  for (const auto& s : steps->as_array()) {
    if (!s.is_object())
      continue;
    const auto& so = s.as_object();
    CanaryStepReport step;
    step.weight = static_cast<int>(number(so.if_contains("weight")).value_or(0));
    step.window.requests =
        static_cast<std::uint64_t>(number(so.if_contains("requests")).value_or(0));
    step.window.errors_5xx =
        static_cast<std::uint64_t>(number(so.if_contains("errors_5xx")).value_or(0));
    step.window.p99_ms =
        number(so.if_contains("p99_ms")).value_or(std::numeric_limits<double>::infinity());
    step.windows = static_cast<int>(number(so.if_contains("windows")).value_or(0));
    step.verdict = text(so, "verdict");
    step.reason = text(so, "reason");
    report.steps.push_back(std::move(step));
  }
  return report;
}

TrafficCounters traffic_of(const boost::json::object& status,
                           const std::vector<std::string>& services) {
  TrafficCounters sum;
  const json::value* groups = status.if_contains("target_groups");
  if (groups == nullptr || !groups->is_array())
    return sum;
  for (const auto& g : groups->as_array()) {
    if (!g.is_object())
      continue;
    const auto upstream = text(g.as_object(), "upstream");
    const auto service = upstream.substr(0, upstream.rfind(':'));
    const json::value* traffic = g.as_object().if_contains("traffic");
    if (std::find(services.begin(), services.end(), service) == services.end() ||
        traffic == nullptr || !traffic->is_object())
      continue;
    const auto& t = traffic->as_object();
    sum.requests += static_cast<std::uint64_t>(number(t.if_contains("requests")).value_or(0));
    sum.errors_5xx += static_cast<std::uint64_t>(number(t.if_contains("errors_5xx")).value_or(0));
    const json::value* latency = t.if_contains("latency_ms");
    if (latency == nullptr || !latency->is_object())
      continue;
    const json::value* le = latency->as_object().if_contains("le");
    const json::value* counts = latency->as_object().if_contains("counts");
    if (le == nullptr || counts == nullptr || !le->is_array() || !counts->is_array())
      continue;
    std::vector<double> upper;
    for (const auto& b : le->as_array())
      upper.push_back(number(&b).value_or(0));
    upper.push_back(std::numeric_limits<double>::infinity());
    if (sum.upper_ms.empty()) {
      sum.upper_ms = upper;
      sum.counts.assign(upper.size(), 0);
    }
    if (upper != sum.upper_ms || counts->as_array().size() != upper.size())
      continue;  // another gateway's buckets: the counts alone still count
    for (std::size_t i = 0; i < upper.size(); ++i)
      sum.counts[i] += static_cast<std::uint64_t>(number(&counts->as_array()[i]).value_or(0));
  }
  return sum;
}

}  // namespace mysfits::cli
