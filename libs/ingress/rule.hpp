#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace mysfits::ingress {

// The listener-rule model the AWS Load Balancer Controller programs into an ALB. Plain data:
// the builder fills it from Ingresses, RouteTable compiles and matches it, the status page and
// `mysfits routes` print it.

enum class ConditionField {
  kHostHeader,
  kPathPattern,
  kHttpHeader,
  kHttpRequestMethod,
  kQueryString,
  kSourceIp,
};

// "host-header", "path-pattern", ... as the ALB API spells them.
std::string_view field_name(ConditionField field);

struct QueryValue {
  std::optional<std::string> key;  // absent: any key with this value
  std::string value;
};

// One condition: any of its values may match (OR). A rule's conditions must all hold (AND).
struct Condition {
  ConditionField field = ConditionField::kPathPattern;
  std::string header_name;                // kHttpHeader only
  std::vector<std::string> values;        // globs (host, path, header), methods, CIDRs
  std::vector<std::string> regex_values;  // host, path, header: instead of values
  std::vector<QueryValue> query_values;   // kQueryString only
};

struct FixedResponse {
  int status_code = 404;
  std::string content_type = "text/plain";
  std::string body;
};

// Omitted parts keep the request's value ("#{part}").
struct Redirect {
  std::optional<std::string> protocol;
  std::optional<std::string> host;
  std::optional<std::string> port;
  std::optional<std::string> path;
  std::optional<std::string> query;
  int status_code = 301;
};

// One weighted leg of a forward action. A Service backend names the target group the
// controller would create for (Ingress, Service, port); an external target group (ARN or
// name) has no local targets.
struct TargetGroupRef {
  std::string target_group;  // TargetGroupConfig::id, or the external ARN/name
  std::string service;       // empty for an external target group
  std::string port;          // number or port name, as written
  int weight = 1;
  bool external = false;
};

struct Forward {
  std::vector<TargetGroupRef> target_groups;
};

using Action = std::variant<Forward, FixedResponse, Redirect>;

struct Rule {
  int priority = 0;  // 1, 2, 3... per listener
  std::vector<Condition> conditions;
  Action action;
  std::string origin;  // where it came from: "default/web: spec.rules[0] /api (Prefix)"
  std::string where;   // the file and line of that path: "deploy/x.yaml:12"
};

struct Listener {
  int port = 80;
  std::string protocol = "HTTP";
  std::vector<Rule> rules;  // priority order
  Action default_action = FixedResponse{404, "text/plain", ""};
  std::string default_origin = "no rule matched: the controller's default 404";
};

// "service:port", "fixed-response:404", "redirect:301", or weighted legs joined by ','.
std::string describe_action(const Action& action);

}  // namespace mysfits::ingress
