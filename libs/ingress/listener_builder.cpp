#include "ingress/listener_builder.hpp"

#include <algorithm>
#include <set>

#include "ingress/annotations.hpp"
#include "ingress/backend_annotations.hpp"
#include "ingress/glob.hpp"

namespace mysfits::ingress {
namespace {

constexpr const char* kActionMissing = "Backend action does not exist";

std::string path_origin(const Ingress& ing, std::size_t rule_index, const IngressPath& p) {
  return ing.key() + ": spec.rules[" + std::to_string(rule_index) + "] " +
         (p.path.empty() ? std::string("(no path)") : p.path) + " (" +
         p.path_type.value_or("ImplementationSpecific") + ")";
}

// Exact first (manifest order), then Prefix by written length, longest first (stable), then
// ImplementationSpecific and untyped paths in manifest order.
core::Result<std::vector<const IngressPath*>> sort_paths(const Ingress& ing,
                                                         const std::vector<IngressPath>& paths) {
  std::vector<const IngressPath*> exact;
  std::vector<const IngressPath*> prefix;
  std::vector<const IngressPath*> specific;
  for (const IngressPath& p : paths) {
    if (!p.path_type || *p.path_type == "ImplementationSpecific") {
      specific.push_back(&p);
    } else if (*p.path_type == "Exact") {
      exact.push_back(&p);
    } else if (*p.path_type == "Prefix") {
      prefix.push_back(&p);
    } else {
      return manifest_error(p.where + ": Ingress " + ing.key() + ": unknown pathType '" +
                            *p.path_type + "' for path " + p.path);
    }
  }
  std::stable_sort(prefix.begin(), prefix.end(), [](const IngressPath* a, const IngressPath* b) {
    return a->path.size() > b->path.size();
  });
  exact.insert(exact.end(), prefix.begin(), prefix.end());
  exact.insert(exact.end(), specific.begin(), specific.end());
  return exact;
}

std::set<std::string> values_of(const std::vector<Condition>& conditions, ConditionField field,
                                bool& other_fields) {
  std::set<std::string> out;
  for (const Condition& c : conditions) {
    if (c.field == field)
      out.insert(c.values.begin(), c.values.end());
    else if (c.field != ConditionField::kHostHeader && c.field != ConditionField::kPathPattern)
      other_fields = true;
  }
  return out;
}

bool is_superset(const std::vector<Condition>& lhs, const std::vector<Condition>& rhs) {
  bool lhs_other = false;
  bool rhs_other = false;
  const auto lhs_hosts = values_of(lhs, ConditionField::kHostHeader, lhs_other);
  const auto lhs_paths = values_of(lhs, ConditionField::kPathPattern, lhs_other);
  if (lhs_other)
    return false;
  const auto rhs_hosts = values_of(rhs, ConditionField::kHostHeader, rhs_other);
  const auto rhs_paths = values_of(rhs, ConditionField::kPathPattern, rhs_other);
  const auto contains_all = [](const std::set<std::string>& big, const std::set<std::string>& s) {
    return std::includes(big.begin(), big.end(), s.begin(), s.end());
  };
  const bool hosts =
      lhs_hosts.empty() || (!rhs_hosts.empty() && contains_all(lhs_hosts, rhs_hosts));
  const bool paths = lhs_paths.empty() || lhs_paths.count("/*") != 0 ||
                     (!rhs_paths.empty() && contains_all(lhs_paths, rhs_paths));
  return hosts && paths;
}

bool redirects_to_itself(const Rule& rule, int port, const std::string& protocol) {
  const auto* r = std::get_if<Redirect>(&rule.action);
  if (r == nullptr)
    return false;
  bool other = false;
  const auto hosts = values_of(rule.conditions, ConditionField::kHostHeader, other);
  const auto paths = values_of(rule.conditions, ConditionField::kPathPattern, other);
  if (r->host && *r->host != "#{host}" && hosts.count(*r->host) == 0)
    return false;
  if (r->path && *r->path != "/#{path}" && paths.count(*r->path) == 0)
    return false;
  if (r->port && *r->port != "#{port}" && *r->port != std::to_string(port))
    return false;
  if (r->protocol && *r->protocol != "#{protocol}" && *r->protocol != protocol)
    return false;
  return !(r->query && *r->query != "#{query}");
}

}  // namespace

core::Result<std::vector<std::string>> path_patterns(const IngressPath& p) {
  const std::string type = p.path_type.value_or("ImplementationSpecific");
  if (type == "Exact") {
    if (has_wildcard(p.path))
      return manifest_error("Exact path must not contain wildcards: " + p.path);
    return std::vector<std::string>{p.path};
  }
  if (type == "Prefix") {
    if (p.path == "/")
      return std::vector<std::string>{"/*"};
    if (has_wildcard(p.path))
      return manifest_error("Prefix path must not contain wildcards: " + p.path);
    std::string trimmed = p.path;
    if (trimmed.ends_with('/'))
      trimmed.pop_back();
    return std::vector<std::string>{trimmed, trimmed + "/*"};
  }
  return std::vector<std::string>{p.path};
}

std::vector<Rule> optimize_rules(std::vector<Rule> rules, int port, const std::string& protocol) {
  std::vector<Rule> kept;
  for (Rule& rule : rules) {
    if (redirects_to_itself(rule, port, protocol))
      continue;
    const bool shadowed = std::any_of(kept.begin(), kept.end(), [&](const Rule& earlier) {
      return std::holds_alternative<Redirect>(earlier.action) &&
             is_superset(earlier.conditions, rule.conditions);
    });
    if (!shadowed)
      kept.push_back(std::move(rule));
  }
  return kept;
}

core::Result<std::string> ListenerBuilder::target_group_for(const Ingress& ing,
                                                            const std::string& service,
                                                            const std::string& port) {
  const std::string id = ing.key() + "-" + service + ":" + port;
  if (groups_.count(id) != 0)
    return id;
  std::map<std::string, std::string> merged = ing.annotations;
  std::string where = ing.describe();
  for (const Service& svc : manifests_.services) {
    if (svc.ns == ing.ns && svc.name == service) {
      // The Service wins per whole annotation key.
      for (const auto& [k, v] : svc.annotations)
        merged[k] = v;
      where += " (Service " + svc.ns + "/" + svc.name + " at " + svc.where + ")";
    }
  }
  TargetGroupConfig base;
  base.id = id;
  base.ns = ing.ns;
  base.ingress = ing.name;
  base.service = service;
  base.port = port;
  auto tg = parse_target_group_config(Annotations(merged, where), std::move(base));
  if (!tg)
    return tg.error();
  groups_.emplace(id, std::move(tg.value()));
  return id;
}

core::Result<Action> ListenerBuilder::backend_action(const Ingress& ing,
                                                     const IngressBackend& backend) {
  if (backend.resource || !backend.service)
    return manifest_error(backend.where + ": Ingress " + ing.key() +
                          ": backend.resource is not supported by the ALB controller");
  const ServiceBackend& svc = *backend.service;
  if (!svc.use_annotation()) {
    auto id = target_group_for(ing, svc.name, svc.port);
    if (!id)
      return id.error();
    return Action{Forward{{TargetGroupRef{id.value(), svc.name, svc.port, 1, false}}}};
  }
  const Annotations annotations(ing.annotations, ing.describe());
  const std::string key = "actions." + svc.name;
  const std::string* json = annotations.find(key);
  if (json == nullptr)
    return Action{FixedResponse{503, "text/plain", kActionMissing}};
  auto action = parse_action_json(*json, annotations.where(key));
  if (!action)
    return action.error();
  if (auto* fwd = std::get_if<Forward>(&action.value())) {
    for (TargetGroupRef& leg : fwd->target_groups) {
      if (leg.external)
        continue;
      auto id = target_group_for(ing, leg.service, leg.port);
      if (!id)
        return id.error();
      leg.target_group = id.value();
    }
  }
  return action;
}

core::Result<std::vector<Condition>> ListenerBuilder::rule_conditions(const Ingress& ing,
                                                                      const IngressRule& rule,
                                                                      const IngressPath& path) {
  Condition hosts{ConditionField::kHostHeader, {}, {}, {}, {}};
  Condition paths{ConditionField::kPathPattern, {}, {}, {}, {}};
  if (!rule.host.empty())
    hosts.values.push_back(rule.host);
  const Annotations annotations(ing.annotations, ing.describe());
  if (!path.path.empty()) {
    auto regex = annotations.boolean("use-regex-path-match");
    if (!regex)
      return regex.error();
    const bool specific = !path.path_type || *path.path_type == "ImplementationSpecific";
    if (specific && regex->value_or(false)) {
      if (auto problem = check_regex(path.path.substr(1)); !problem.empty())
        return manifest_error(path.where + ": Ingress " + ing.key() + ": " + problem);
      paths.regex_values.push_back(path.path.substr(1));
    } else {
      auto patterns = path_patterns(path);
      if (!patterns)
        return manifest_error(path.where + ": Ingress " + ing.key() + ": " +
                              patterns.error().message);
      for (const std::string& v : patterns.value()) {
        if (auto problem = check_path_pattern(v); !problem.empty())
          return manifest_error(path.where + ": Ingress " + ing.key() + ": " + problem);
      }
      paths.values = std::move(patterns.value());
    }
  }
  std::vector<Condition> out;
  const ServiceBackend* svc = path.backend.service ? &*path.backend.service : nullptr;
  const std::string key = svc != nullptr ? "conditions." + svc->name : std::string();
  if (const std::string* json = svc != nullptr ? annotations.find(key) : nullptr) {
    auto extra = parse_conditions_json(*json, annotations.where(key));
    if (!extra)
      return extra.error();
    for (Condition& c : extra.value()) {
      Condition* merge_into = c.field == ConditionField::kHostHeader    ? &hosts
                              : c.field == ConditionField::kPathPattern ? &paths
                                                                        : nullptr;
      if (merge_into == nullptr) {
        out.push_back(std::move(c));
        continue;
      }
      merge_into->values.insert(merge_into->values.end(), c.values.begin(), c.values.end());
      merge_into->regex_values.insert(merge_into->regex_values.end(), c.regex_values.begin(),
                                      c.regex_values.end());
    }
  }
  for (Condition* c : {&hosts, &paths}) {
    if (!c->values.empty() && !c->regex_values.empty()) {
      return manifest_error(path.where + ": Ingress " + ing.key() + ": " +
                            std::string(field_name(c->field)) +
                            " mixes values and regexValues in one rule");
    }
    if (!c->values.empty() || !c->regex_values.empty())
      out.push_back(std::move(*c));
  }
  if (out.empty())
    out.push_back(Condition{ConditionField::kPathPattern, {}, {"/*"}, {}, {}});
  return out;
}

core::Result<Listener> ListenerBuilder::build(int port, const std::string& protocol,
                                              const std::vector<const Ingress*>& members,
                                              std::optional<int> ssl_redirect_port) {
  Listener listener;
  listener.port = port;
  listener.protocol = protocol;
  if (ssl_redirect_port && protocol == "HTTP") {
    Redirect r;
    r.protocol = "HTTPS";
    r.port = std::to_string(*ssl_redirect_port);
    r.status_code = 301;
    listener.default_action = r;
    listener.default_origin = "ssl-redirect: every HTTP request goes to HTTPS";
    return listener;
  }
  std::vector<Rule> rules;
  const Ingress* default_owner = nullptr;
  for (const Ingress* ing : members) {
    for (std::size_t i = 0; i < ing->rules.size(); ++i) {
      const IngressRule& rule = ing->rules[i];
      if (!rule.has_http)
        continue;
      auto sorted = sort_paths(*ing, rule.paths);
      if (!sorted)
        return sorted.error();
      for (const IngressPath* p : sorted.value()) {
        auto action = backend_action(*ing, p->backend);
        if (!action)
          return action.error();
        auto conditions = rule_conditions(*ing, rule, *p);
        if (!conditions)
          return conditions.error();
        rules.push_back(Rule{0, std::move(conditions.value()), std::move(action.value()),
                             path_origin(*ing, i, *p), p->where});
      }
    }
    if (ing->default_backend) {
      if (default_owner != nullptr) {
        return manifest_error(ing->describe() + ": spec.defaultBackend is also set by Ingress " +
                              default_owner->key() + "; a listener has one default action");
      }
      default_owner = ing;
      auto action = backend_action(*ing, *ing->default_backend);
      if (!action)
        return action.error();
      listener.default_action = std::move(action.value());
      listener.default_origin = ing->key() + ": spec.defaultBackend";
    }
  }
  listener.rules = optimize_rules(std::move(rules), port, protocol);
  int priority = 1;
  for (Rule& rule : listener.rules)
    rule.priority = priority++;
  return listener;
}

}  // namespace mysfits::ingress
