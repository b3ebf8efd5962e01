#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "ingress/manifest.hpp"
#include "ingress/rule.hpp"
#include "ingress/target_group_config.hpp"

namespace mysfits::ingress {

// Load-balancer attributes the data plane honours (ALB defaults when absent).
struct LoadBalancerAttributes {
  int idle_timeout_seconds = 60;
  int client_keep_alive_seconds = 3600;
  std::string xff_mode = "append";  // append | preserve | remove
  bool xff_client_port = false;
  bool preserve_host_header = false;
  bool drop_invalid_header_fields = false;
  std::map<std::string, std::string> all;  // every key, merged across the group
};

// One ALB: the controller makes one per Ingress group.
struct LoadBalancer {
  std::string group;  // the group.name, or "<ns>/<name>" of a lone Ingress
  bool explicit_group = false;
  std::vector<std::string> members;  // "<ns>/<name>" in member order
  std::string scheme = "internal";
  std::optional<int> ssl_redirect_port;
  LoadBalancerAttributes attributes;
  std::vector<Listener> listeners;  // ascending port
  std::vector<TargetGroupConfig> target_groups;

  const Listener* listener(int port) const;
  const TargetGroupConfig* target_group(const std::string& id) const;
  // The listener a plain-HTTP gateway serves by default: the lowest HTTP port, or, when
  // ssl-redirect sends every HTTP request away, the HTTPS listener it points at.
  const Listener* serving_listener() const;
};

// Which Ingresses belong to the controller: the kubernetes.io/ingress.class annotation decides
// alone when present; else spec.ingressClassName (an IngressClass in the files, or the name
// `alb`); else a default IngressClass of the controller in the files.
bool is_alb_ingress(const Ingress& ingress, const std::vector<IngressClass>& classes);

// Groups the ALB Ingresses and builds every group's listeners, rules (with the controller's
// ordering and priorities), default actions and target groups. Any error in a group refuses the
// whole build, as the controller refuses to reconcile the group; so does a group that breaks
// one of the ALB's limits (alb_limits.hpp), with every limit broken in any group, one a line.
core::Result<std::vector<LoadBalancer>> build_load_balancers(const Manifests& manifests);

}  // namespace mysfits::ingress
