#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "ingress/manifest.hpp"
#include "ingress/rule.hpp"
#include "ingress/target_group_config.hpp"

namespace mysfits::ingress {

// Builds one listener's rules the way the controller's buildListenerRules does: members in
// group order, host blocks in manifest order, paths sorted within each block (Exact, Prefix
// longest first, then ImplementationSpecific), the rule optimizer, then priorities 1, 2, 3...
class ListenerBuilder {
 public:
  ListenerBuilder(const Manifests& manifests, std::map<std::string, TargetGroupConfig>& groups)
      : manifests_(manifests), groups_(groups) {}

  core::Result<Listener> build(int port, const std::string& protocol,
                               const std::vector<const Ingress*>& members,
                               std::optional<int> ssl_redirect_port);

 private:
  core::Result<Action> backend_action(const Ingress& ing, const IngressBackend& backend);
  core::Result<std::vector<Condition>> rule_conditions(const Ingress& ing, const IngressRule& rule,
                                                       const IngressPath& path);
  core::Result<std::string> target_group_for(const Ingress& ing, const std::string& service,
                                             const std::string& port);

  const Manifests& manifests_;
  std::map<std::string, TargetGroupConfig>& groups_;
};

// The controller's rule optimizer: drops redirect rules that would redirect a request to
// itself, and rules shadowed by an earlier redirect rule with a superset of host/path.
std::vector<Rule> optimize_rules(std::vector<Rule> rules, int port, const std::string& protocol);

// pathType -> ALB path-pattern values (Prefix "/foo" -> "/foo", "/foo/*"). The error message
// says what is wrong; the caller adds where.
core::Result<std::vector<std::string>> path_patterns(const IngressPath& path);

}  // namespace mysfits::ingress
