#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "ingress/load_balancer.hpp"

namespace mysfits::ingress {

// The ALB's configuration limits. The controller does not check them: AWS refuses the API call
// when it programs the listener, so the Ingress fails at apply time with its group half
// applied. Here they refuse the manifest when it is read (gateway, `mysfits routes`, `up`,
// `migrate`), naming the limit, the Ingress, the file and the line. Values from the ALB's
// quotas and listener-rule documentation; docs/gateway.md lists them.
namespace alb_limit {
inline constexpr std::size_t kRulesPerLoadBalancer = 100;  // default rules not counted
inline constexpr std::size_t kValuesPerRule = 5;           // condition values ("match evaluations")
inline constexpr std::size_t kValuesPerCondition = 3;
inline constexpr std::size_t kWildcardsPerRule = 5;        // '*' and '?' in value conditions
inline constexpr std::size_t kPathPatternLength = 128;     // characters per path-pattern value
inline constexpr std::size_t kTargetGroupsPerForward = 5;  // legs of one forward action
inline constexpr int kMaxForwardWeight = 999;              // weights are 0..999
inline constexpr int kMinGroupOrder = -1000;               // the controller's group.order range
inline constexpr int kMaxGroupOrder = 1000;
}  // namespace alb_limit

// The wildcards ('*', '?') a condition's values spend of the rule's budget. Query strings
// escape them as "\*" and "\?", which are literal; regexValues have no wildcards.
std::size_t wildcards_of(const Condition& condition);

// Every rule-level limit `lb` breaks, one message each ("file:line: Ingress ns/name: ...");
// empty when it is within them. The per-value limits (path-pattern length, forward legs and
// weights, group.order) are refused while the manifests are built, where the value is read.
std::vector<std::string> alb_limit_violations(const LoadBalancer& lb);

}  // namespace mysfits::ingress
