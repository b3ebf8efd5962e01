#pragma once

#include <string>
#include <vector>

#include "core/result.hpp"
#include "ingress/load_balancer.hpp"
#include "ingress/route_table.hpp"

namespace mysfits::ingress {

// What one local gateway serves from a set of manifest files: one load balancer and its serving
// listener's route table. The one pipeline from files to routes: mysfits-gateway (on start and
// on every reload) and `mysfits routes`, `up` and `migrate` all read manifests through it, so
// they accept, refuse and route alike.
struct Serving {
  LoadBalancer load_balancer;
  RouteTable routes;
  // Worth telling the user without refusing: the files make several load balancers, of which
  // only the first is served.
  std::vector<std::string> notes;
};

// Loads the files, builds every load balancer (refusing any that breaks the ALB's limits) and
// serves the first (explicit groups by name, then lone Ingresses in file order;
// docs/decisions/0002-ingress-rule-semantics.md). Errors say what and where, one reason a line;
// none of class alb is an error too.
core::Result<Serving> load_serving(const std::vector<std::string>& files);

}  // namespace mysfits::ingress
