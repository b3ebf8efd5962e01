#pragma once

#include <string>
#include <vector>

#include "core/result.hpp"
#include "ingress/load_balancer.hpp"
#include "ingress/route_table.hpp"

namespace mysfits::ingress {

// What one local gateway serves from a set of manifest files: one load balancer and its serving
// listener's route table. Shared by `mysfits routes` and mysfits-gateway so both answer alike.
struct Serving {
  LoadBalancer load_balancer;
  RouteTable routes;
  // Things worth telling the user: several load balancers (only the first is served), and the
  // configuration limits a real ALB would enforce (LoadBalancer::warnings).
  std::vector<std::string> notes;
};

// Loads the files, builds every load balancer and serves the first (explicit groups by name,
// then lone Ingresses in file order; docs/decisions/0002). Errors say what and where; none of
// class alb is an error too.
core::Result<Serving> load_serving(const std::vector<std::string>& files);

}  // namespace mysfits::ingress
