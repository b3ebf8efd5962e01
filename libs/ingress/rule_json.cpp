#include "ingress/rule_json.hpp"

#include <boost/json.hpp>

namespace mysfits::ingress {
namespace json = boost::json;
namespace {

json::array strings(const std::vector<std::string>& values) {
  json::array out;
  for (const std::string& v : values)
    out.emplace_back(v);
  return out;
}

void put_optional(json::object& obj, const char* key, const std::optional<std::string>& v) {
  if (v)
    obj[key] = *v;
}

}  // namespace

json::value to_json(const Condition& c) {
  json::object out;
  out["field"] = field_name(c.field);
  out["summary"] = describe_condition(c);
  if (c.field == ConditionField::kHttpHeader)
    out["httpHeaderName"] = c.header_name;
  if (c.field == ConditionField::kQueryString) {
    json::array values;
    for (const QueryValue& qv : c.query_values) {
      json::object pair;
      put_optional(pair, "key", qv.key);
      pair["value"] = qv.value;
      values.push_back(std::move(pair));
    }
    out["values"] = std::move(values);
    return out;
  }
  if (!c.regex_values.empty())
    out["regexValues"] = strings(c.regex_values);
  else
    out["values"] = strings(c.values);
  return out;
}

json::value to_json(const Action& action) {
  json::object out;
  if (const auto* fixed = std::get_if<FixedResponse>(&action)) {
    out["type"] = "fixed-response";
    out["statusCode"] = fixed->status_code;
    out["contentType"] = fixed->content_type;
    out["messageBody"] = fixed->body;
  } else if (const auto* r = std::get_if<Redirect>(&action)) {
    out["type"] = "redirect";
    out["statusCode"] = "HTTP_" + std::to_string(r->status_code);
    put_optional(out, "protocol", r->protocol);
    put_optional(out, "host", r->host);
    put_optional(out, "port", r->port);
    put_optional(out, "path", r->path);
    put_optional(out, "query", r->query);
  } else {
    out["type"] = "forward";
    json::array groups;
    for (const TargetGroupRef& leg : std::get<Forward>(action).target_groups) {
      json::object g;
      g["targetGroup"] = leg.target_group;
      if (!leg.external) {
        g["serviceName"] = leg.service;
        g["servicePort"] = leg.port;
      }
      g["weight"] = leg.weight;
      groups.push_back(std::move(g));
    }
    out["targetGroups"] = std::move(groups);
  }
  out["summary"] = describe_action(action);
  return out;
}

json::value to_json(const Rule& rule) {
  json::object out;
  out["priority"] = rule.priority;
  json::array conditions;
  for (const Condition& c : rule.conditions)
    conditions.push_back(to_json(c));
  out["conditions"] = std::move(conditions);
  out["action"] = to_json(rule.action);
  out["origin"] = rule.origin;
  return out;
}

json::value to_json(const Listener& listener) {
  json::object out;
  out["port"] = listener.port;
  out["protocol"] = listener.protocol;
  json::array rules;
  for (const Rule& rule : listener.rules)
    rules.push_back(to_json(rule));
  out["rules"] = std::move(rules);
  json::object def;
  def["action"] = to_json(listener.default_action);
  def["origin"] = listener.default_origin;
  out["default"] = std::move(def);
  return out;
}

json::value to_json(const TargetGroupConfig& tg) {
  json::object hc;
  hc["protocol"] = tg.health_check.protocol;
  hc["port"] = tg.health_check.port;
  hc["path"] = tg.health_check.path;
  hc["intervalSeconds"] = tg.health_check.interval_seconds;
  hc["timeoutSeconds"] = tg.health_check.timeout_seconds;
  hc["healthyThreshold"] = tg.health_check.healthy_threshold;
  hc["unhealthyThreshold"] = tg.health_check.unhealthy_threshold;
  hc["successCodes"] = tg.health_check.success_codes.text();
  json::object out;
  out["id"] = tg.id;
  out["service"] = tg.service;
  out["port"] = tg.port;
  out["targetType"] = tg.target_type;
  out["protocol"] = tg.protocol;
  out["algorithm"] = algorithm_name(tg.algorithm);
  out["deregistrationDelaySeconds"] = tg.deregistration_delay_seconds;
  out["healthCheck"] = std::move(hc);
  return out;
}

json::value to_json(const LoadBalancer& lb) {
  json::object out;
  out["group"] = lb.group;
  out["scheme"] = lb.scheme;
  out["members"] = strings(lb.members);
  json::array listeners;
  for (const Listener& l : lb.listeners)
    listeners.push_back(to_json(l));
  out["listeners"] = std::move(listeners);
  json::array groups;
  for (const TargetGroupConfig& tg : lb.target_groups)
    groups.push_back(to_json(tg));
  out["targetGroups"] = std::move(groups);
  return out;
}

std::string describe_condition(const Condition& c) {
  std::string out(field_name(c.field));
  if (c.field == ConditionField::kHttpHeader)
    out += " " + c.header_name + ":";
  const auto join = [&out](const std::vector<std::string>& values, const char* prefix) {
    for (std::size_t i = 0; i < values.size(); ++i)
      out += (i == 0 ? std::string(" ") + prefix : std::string(" OR ")) + values[i];
  };
  if (c.field == ConditionField::kQueryString) {
    for (std::size_t i = 0; i < c.query_values.size(); ++i) {
      out += i == 0 ? " " : " OR ";
      out += (c.query_values[i].key ? *c.query_values[i].key : std::string("*")) + "=" +
             c.query_values[i].value;
    }
  } else if (!c.regex_values.empty()) {
    join(c.regex_values, "~");
  } else {
    join(c.values, "");
  }
  return out;
}

}  // namespace mysfits::ingress
