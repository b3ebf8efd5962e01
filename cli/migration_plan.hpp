#pragma once

#include <string>
#include <vector>

#include "core/result.hpp"
#include "ingress/route_table.hpp"

namespace mysfits::cli {

// A request the API serves, standing for every request like it (its class): what
// `migrate --plan` asks of both stages' routes.
struct RequestClass {
  std::string method;
  std::string example;
};
const std::vector<RequestClass>& api_request_classes();

// A class whose answer comes from another backend after the switch ("service:port",
// "fixed-response:404", weighted legs: as `mysfits routes` names them).
struct RouteChange {
  std::string method;
  std::string example;
  std::string before;
  std::string after;
};
std::vector<RouteChange> route_changes(const ingress::RouteTable& before,
                                       const ingress::RouteTable& after);
// {"method": M, "example": PATH, "before": B, "after": A}
std::string to_json_line(const RouteChange& change);

// The Ingress of one canary step: the new stage's manifest (new_stage_yaml) in which every path
// that routes to one of new_services forwards by weight instead, weight % to that service and
// the rest to the Service the old stage's routes answer that path with. The split is an ALB
// weighted forward action (an actions.<name> annotation with targetGroups, as the AWS Load
// Balancer Controller and Argo Rollouts write it). Refused when the old stage answers such a path
// with anything but one Service.
core::Result<std::string> canary_ingress(const std::string& new_stage_yaml,
                                         const ingress::RouteTable& old_routes,
                                         const std::vector<std::string>& new_services, int weight);

}  // namespace mysfits::cli
