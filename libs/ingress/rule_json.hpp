#pragma once

#include <boost/json/value.hpp>
#include <string>

#include "ingress/load_balancer.hpp"
#include "ingress/rule.hpp"
#include "ingress/target_group_config.hpp"

namespace mysfits::ingress {

// The rule model as JSON, in the ALB API's vocabulary, for `mysfits routes` and the gateway's
// status page.
boost::json::value to_json(const Condition& condition);
boost::json::value to_json(const Action& action);
boost::json::value to_json(const Rule& rule);
boost::json::value to_json(const Listener& listener);
boost::json::value to_json(const TargetGroupConfig& target_group);
boost::json::value to_json(const LoadBalancer& load_balancer);

// One line for people: "path-pattern /mysfits/*/like".
std::string describe_condition(const Condition& condition);

}  // namespace mysfits::ingress
