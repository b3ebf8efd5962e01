#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"
#include "ingress/annotations.hpp"

namespace mysfits::ingress {

// "200", "200,202", "200-299": the matcher codes a health check accepts.
class SuccessCodes {
 public:
  SuccessCodes() = default;  // "200"
  static core::Result<SuccessCodes> parse(std::string_view text, int min, int max,
                                          const std::string& where);
  bool contains(int status) const;
  const std::string& text() const { return text_; }

 private:
  std::string text_ = "200";
  std::vector<std::pair<int, int>> ranges_{{200, 200}};
};

// Health-check settings with the controller's defaults (not the raw ALB API's).
struct HealthCheck {
  std::string protocol = "HTTP";
  std::string port = "traffic-port";  // or a number
  std::string path = "/";
  int interval_seconds = 15;
  int timeout_seconds = 5;
  int healthy_threshold = 2;
  int unhealthy_threshold = 2;
  SuccessCodes success_codes;
};

enum class Algorithm { kRoundRobin, kLeastOutstandingRequests, kWeightedRandom };
std::string_view algorithm_name(Algorithm algorithm);

// One target group: the controller makes one per (Ingress, Service, port).
struct TargetGroupConfig {
  std::string id;  // "<namespace>/<ingress>-<service>:<port>", the controller's resource id
  std::string ns;
  std::string ingress;
  std::string service;
  std::string port;  // as written in the backend (number or name)
  std::string target_type = "instance";
  std::string protocol = "HTTP";
  std::string protocol_version = "HTTP1";
  HealthCheck health_check;
  Algorithm algorithm = Algorithm::kRoundRobin;
  int deregistration_delay_seconds = 300;
  int slow_start_seconds = 0;
  int min_healthy_targets = 1;  // below this many healthy targets, route to all (fail-open)
  std::map<std::string, std::string> attributes;  // every target-group-attributes key
};

// Reads the target-group annotations. `merged` is the Ingress's annotations with the Service's
// laid over them key by key (the Service wins per whole annotation, as in the controller).
core::Result<TargetGroupConfig> parse_target_group_config(const Annotations& merged,
                                                          TargetGroupConfig base);

}  // namespace mysfits::ingress
