#include "ingress/target_group_config.hpp"

#include <charconv>

namespace mysfits::ingress {
namespace {

bool parse_int(std::string_view text, int& out) {
  while (!text.empty() && text.front() == ' ')
    text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ')
    text.remove_suffix(1);
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return !text.empty() && ec == std::errc{} && end == text.data() + text.size();
}

// Reads an integer annotation into `out` when present; range errors name the annotation.
core::Result<core::Unit> read_int(const Annotations& a, std::string_view key, long min, long max,
                                  int& out) {
  auto v = a.integer(key, min, max);
  if (!v)
    return v.error();
  if (*v)
    out = static_cast<int>(**v);
  return core::Unit{};
}

core::Result<core::Unit> read_attribute(const std::map<std::string, std::string>& attrs,
                                        const std::string& key, int min, int max, int& out,
                                        const std::string& where) {
  const auto it = attrs.find(key);
  if (it == attrs.end())
    return core::Unit{};
  int v = 0;
  if (!parse_int(it->second, v) || v < min || v > max) {
    return manifest_error(where + ": " + key + "=" + it->second + " is not an integer in " +
                          std::to_string(min) + ".." + std::to_string(max));
  }
  out = v;
  return core::Unit{};
}

}  // namespace

core::Result<SuccessCodes> SuccessCodes::parse(std::string_view text, int min, int max,
                                               const std::string& where) {
  SuccessCodes out;
  out.text_ = std::string(text);
  out.ranges_.clear();
  std::string_view rest = text;
  while (true) {
    const auto comma = rest.find(',');
    const std::string_view item = rest.substr(0, comma);
    const auto dash = item.find('-');
    int lo = 0;
    int hi = 0;
    const bool ok = dash == std::string_view::npos ? parse_int(item, lo) && ((hi = lo), true)
                                                   : parse_int(item.substr(0, dash), lo) &&
                                                         parse_int(item.substr(dash + 1), hi);
    if (!ok || lo > hi || lo < min || hi > max) {
      return manifest_error(where + ": '" + std::string(item) + "' is not a code or range in " +
                            std::to_string(min) + ".." + std::to_string(max));
    }
    out.ranges_.emplace_back(lo, hi);
    if (comma == std::string_view::npos)
      break;
    rest.remove_prefix(comma + 1);
  }
  return out;
}

bool SuccessCodes::contains(int status) const {
  for (const auto& [lo, hi] : ranges_) {
    if (status >= lo && status <= hi)
      return true;
  }
  return false;
}

std::string_view algorithm_name(Algorithm algorithm) {
  switch (algorithm) {
    case Algorithm::kRoundRobin:
      return "round_robin";
    case Algorithm::kLeastOutstandingRequests:
      return "least_outstanding_requests";
    case Algorithm::kWeightedRandom:
      return "weighted_random";
  }
  return "round_robin";
}

core::Result<TargetGroupConfig> parse_target_group_config(const Annotations& a,
                                                          TargetGroupConfig tg) {
  if (const auto* v = a.find("target-type")) {
    if (*v != "instance" && *v != "ip")
      return manifest_error(a.where("target-type") + ": expected instance or ip, got '" + *v + "'");
    tg.target_type = *v;
  }
  if (const auto* v = a.find("backend-protocol")) {
    if (*v != "HTTP" && *v != "HTTPS")
      return manifest_error(a.where("backend-protocol") + ": expected HTTP or HTTPS");
    tg.protocol = *v;
  }
  if (const auto* v = a.find("backend-protocol-version")) {
    if (*v != "HTTP1" && *v != "HTTP2" && *v != "GRPC")
      return manifest_error(a.where("backend-protocol-version") +
                            ": expected HTTP1, HTTP2 or GRPC");
    tg.protocol_version = *v;
  }
  const bool grpc = tg.protocol_version == "GRPC";
  HealthCheck& hc = tg.health_check;
  hc.protocol = tg.protocol;
  if (grpc) {
    hc.path = "/AWS.ALB/healthcheck";
    hc.success_codes = SuccessCodes::parse("12", 0, 99, "default").value();
  }
  if (const auto* v = a.find("healthcheck-protocol")) {
    if (*v != "HTTP" && *v != "HTTPS")
      return manifest_error(a.where("healthcheck-protocol") + ": expected HTTP or HTTPS");
    hc.protocol = *v;
  }
  if (const auto* v = a.find("healthcheck-port")) {
    int port = 0;
    if (*v != "traffic-port" && (!parse_int(*v, port) || port < 1 || port > 65535)) {
      return manifest_error(a.where("healthcheck-port") +
                            ": expected traffic-port or a port number, got '" + *v + "'");
    }
    hc.port = *v;
  }
  if (const auto* v = a.find("healthcheck-path")) {
    if (v->empty() || v->front() != '/')
      return manifest_error(a.where("healthcheck-path") + ": must start with '/'");
    hc.path = *v;
  }
  for (auto r : {read_int(a, "healthcheck-interval-seconds", 5, 300, hc.interval_seconds),
                 read_int(a, "healthcheck-timeout-seconds", 2, 120, hc.timeout_seconds),
                 read_int(a, "healthy-threshold-count", 2, 10, hc.healthy_threshold),
                 read_int(a, "unhealthy-threshold-count", 2, 10, hc.unhealthy_threshold)}) {
    if (!r)
      return r.error();
  }
  if (hc.timeout_seconds >= hc.interval_seconds) {
    return manifest_error(a.where("healthcheck-timeout-seconds") +
                          ": the timeout must be shorter than the interval");
  }
  if (const auto* v = a.find("success-codes")) {
    auto codes = grpc ? SuccessCodes::parse(*v, 0, 99, a.where("success-codes"))
                      : SuccessCodes::parse(*v, 200, 499, a.where("success-codes"));
    if (!codes)
      return codes.error();
    hc.success_codes = std::move(codes.value());
  }

  auto attrs = a.string_map("target-group-attributes");
  if (!attrs)
    return attrs.error();
  tg.attributes = std::move(attrs.value());
  const std::string where = a.where("target-group-attributes");
  for (auto r : {read_attribute(tg.attributes, "deregistration_delay.timeout_seconds", 0, 3600,
                                tg.deregistration_delay_seconds, where),
                 read_attribute(tg.attributes, "slow_start.duration_seconds", 0, 900,
                                tg.slow_start_seconds, where),
                 read_attribute(tg.attributes,
                                "target_group_health.unhealthy_state_routing."
                                "minimum_healthy_targets.count",
                                1, 1'000'000, tg.min_healthy_targets, where)}) {
    if (!r)
      return r.error();
  }
  if (const auto it = tg.attributes.find("load_balancing.algorithm.type");
      it != tg.attributes.end()) {
    if (it->second == "round_robin") {
      tg.algorithm = Algorithm::kRoundRobin;
    } else if (it->second == "least_outstanding_requests") {
      tg.algorithm = Algorithm::kLeastOutstandingRequests;
    } else if (it->second == "weighted_random") {
      tg.algorithm = Algorithm::kWeightedRandom;
    } else {
      return manifest_error(where + ": unknown load_balancing.algorithm.type '" + it->second + "'");
    }
  }
  if (tg.slow_start_seconds != 0 && tg.slow_start_seconds < 30)
    return manifest_error(where + ": slow_start.duration_seconds must be 0 or 30..900");
  if (tg.slow_start_seconds != 0 && tg.algorithm != Algorithm::kRoundRobin) {
    return manifest_error(where + ": slow start cannot be combined with " +
                          std::string(algorithm_name(tg.algorithm)) +
                          " (the ALB allows it with round_robin only)");
  }
  // Accepted attributes change what the data plane does; these two would be ignored here, so
  // they are refused rather than accepted and silently not applied.
  if (const auto it = tg.attributes.find("load_balancing.algorithm.anomaly_mitigation");
      it != tg.attributes.end() && it->second != "off") {
    return manifest_error(where + ": load_balancing.algorithm.anomaly_mitigation=" + it->second +
                          " is not emulated by the gateway (only off is accepted)");
  }
  if (const auto it = tg.attributes.find("stickiness.enabled");
      it != tg.attributes.end() && it->second != "false") {
    return manifest_error(where + ": stickiness.enabled=" + it->second +
                          " is not emulated by the gateway (only false is accepted)");
  }
  return tg;
}

}  // namespace mysfits::ingress
