#include "ingress/alb_limits.hpp"

#include <algorithm>

namespace mysfits::ingress {
namespace {

std::size_t wildcards_in(std::string_view text, bool escapes) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (escapes && text[i] == '\\') {
      ++i;  // an escaped character is literal
      continue;
    }
    n += (text[i] == '*' || text[i] == '?') ? 1 : 0;
  }
  return n;
}

std::size_t values_of(const Condition& c) {
  return c.values.size() + c.regex_values.size() + c.query_values.size();
}

// "file:line: Ingress ns/name: spec.rules[0] /api (Prefix): " for messages about one rule.
std::string rule_prefix(const Rule& rule, int port) {
  return rule.where + ": Ingress " + rule.origin + ": rule " + std::to_string(rule.priority) +
         " of listener " + std::to_string(port) + ": ";
}

std::string value_counts(const Rule& rule) {
  std::string out;
  for (const Condition& c : rule.conditions)
    out += (out.empty() ? "" : ", ") + std::string(field_name(c.field)) + " " +
           std::to_string(values_of(c));
  return out;
}

bool has_prefix_pair(const Condition& c) {
  // The controller makes two values of a Prefix path: "/x" and "/x/*".
  for (const std::string& v : c.values) {
    if (v.size() > 2 && v.ends_with("/*") &&
        std::find(c.values.begin(), c.values.end(), v.substr(0, v.size() - 2)) != c.values.end())
      return true;
  }
  return false;
}

void check_rule(const Rule& rule, int port, std::vector<std::string>& out) {
  std::size_t values = 0;
  std::size_t wildcards = 0;
  bool prefix = false;
  for (const Condition& c : rule.conditions) {
    const std::size_t n = values_of(c);
    values += n;
    wildcards += wildcards_of(c);
    prefix = prefix || (c.field == ConditionField::kPathPattern && has_prefix_pair(c));
    if (n > alb_limit::kValuesPerCondition) {
      out.push_back(rule_prefix(rule, port) + std::string(field_name(c.field)) + " has " +
                    std::to_string(n) + " values; the ALB allows at most " +
                    std::to_string(alb_limit::kValuesPerCondition) + " per condition");
    }
  }
  if (values > alb_limit::kValuesPerRule) {
    out.push_back(rule_prefix(rule, port) + std::to_string(values) + " condition values (" +
                  value_counts(rule) + "); the ALB allows at most " +
                  std::to_string(alb_limit::kValuesPerRule) + " per rule" +
                  (prefix ? ", and a Prefix path counts as two (/x and /x/*)" : ""));
  }
  if (wildcards > alb_limit::kWildcardsPerRule) {
    out.push_back(rule_prefix(rule, port) + std::to_string(wildcards) +
                  " wildcards ('*' or '?'); the ALB allows at most " +
                  std::to_string(alb_limit::kWildcardsPerRule) + " per rule");
  }
}

}  // namespace

std::size_t wildcards_of(const Condition& condition) {
  std::size_t n = 0;
  if (condition.field == ConditionField::kQueryString) {
    for (const QueryValue& q : condition.query_values)
      n += wildcards_in(q.key.value_or(""), true) + wildcards_in(q.value, true);
    return n;
  }
  if (condition.field == ConditionField::kHttpRequestMethod ||
      condition.field == ConditionField::kSourceIp)
    return 0;
  for (const std::string& v : condition.values)
    n += wildcards_in(v, false);
  return n;
}

std::vector<std::string> alb_limit_violations(const LoadBalancer& lb) {
  std::vector<std::string> out;
  std::size_t rules = 0;
  for (const Listener& listener : lb.listeners) {
    for (const Rule& rule : listener.rules) {
      check_rule(rule, listener.port, out);
      if (++rules == alb_limit::kRulesPerLoadBalancer + 1) {
        std::size_t total = 0;
        for (const Listener& l : lb.listeners)
          total += l.rules.size();
        out.push_back(rule_prefix(rule, listener.port) + "load balancer " + lb.group + " has " +
                      std::to_string(total) + " rules; the ALB allows at most " +
                      std::to_string(alb_limit::kRulesPerLoadBalancer) +
                      " per load balancer (default actions not counted)");
      }
    }
  }
  return out;
}

}  // namespace mysfits::ingress
