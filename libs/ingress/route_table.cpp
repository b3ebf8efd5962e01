#include "ingress/route_table.hpp"

#include <regex>

#include "ingress/annotations.hpp"
#include "ingress/cidr.hpp"
#include "ingress/glob.hpp"

namespace mysfits::ingress {
namespace {

struct CompiledCondition {
  const Condition* source = nullptr;
  std::vector<std::regex> regexes;
  std::vector<Cidr> cidrs;
};

struct CompiledRule {
  const Rule* rule = nullptr;
  std::vector<CompiledCondition> conditions;
};

// libstdc++'s regex engine recurses per input byte; longer inputs never match a regex value
// rather than risk the stack (docs/decisions/0002-ingress-rule-semantics.md).
constexpr std::size_t kMaxRegexInput = 2048;

bool any_value(const CompiledCondition& c, std::string_view text, GlobOptions options) {
  for (const std::string& v : c.source->values) {
    if (glob_match(v, text, options))
      return true;
  }
  if (text.size() > kMaxRegexInput)
    return false;
  for (const std::regex& re : c.regexes) {
    if (std::regex_search(text.begin(), text.end(), re))
      return true;
  }
  return false;
}

bool query_matches(const Condition& c, std::string_view query) {
  const GlobOptions options{true, true};
  while (true) {
    const auto amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    if (!pair.empty()) {
      const auto eq = pair.find('=');
      const std::string_view key =
          eq == std::string_view::npos ? std::string_view() : pair.substr(0, eq);
      const std::string_view value = eq == std::string_view::npos ? pair : pair.substr(eq + 1);
      for (const QueryValue& qv : c.query_values) {
        if ((!qv.key || glob_match(*qv.key, key, options)) && glob_match(qv.value, value, options))
          return true;
      }
    }
    if (amp == std::string_view::npos)
      return false;
    query.remove_prefix(amp + 1);
  }
}

bool holds(const CompiledCondition& c, const RequestView& r, std::string_view path,
           std::string_view query) {
  const Condition& cond = *c.source;
  switch (cond.field) {
    case ConditionField::kPathPattern:
      return any_value(c, path, {});
    case ConditionField::kHostHeader:
      return any_value(c, host_without_port(r.host), {true, false});
    case ConditionField::kHttpRequestMethod:
      for (const std::string& m : cond.values) {
        if (m == r.method)
          return true;
      }
      return false;
    case ConditionField::kHttpHeader:
      for (const auto& [name, value] : r.headers) {
        if (ascii_iequals(name, cond.header_name) && any_value(c, value, {true, false}))
          return true;
      }
      return false;
    case ConditionField::kQueryString:
      return query_matches(cond, query);
    case ConditionField::kSourceIp:
      for (const Cidr& cidr : c.cidrs) {
        if (cidr.contains(r.source_ip))
          return true;
      }
      return false;
  }
  return false;
}

}  // namespace

struct RouteTable::Compiled {
  Listener listener;
  std::vector<CompiledRule> rules;
};

std::string_view host_without_port(std::string_view host) {
  if (!host.empty() && host.front() == '[') {
    const auto close = host.find(']');
    return close == std::string_view::npos ? host : host.substr(0, close + 1);
  }
  const auto colon = host.find(':');
  return colon == std::string_view::npos ? host : host.substr(0, colon);
}

core::Result<RouteTable> RouteTable::build(Listener listener) {
  auto compiled = std::make_shared<Compiled>();
  compiled->listener = std::move(listener);
  for (const Rule& rule : compiled->listener.rules) {
    CompiledRule cr{&rule, {}};
    for (const Condition& cond : rule.conditions) {
      CompiledCondition cc{&cond, {}, {}};
      const std::string where = "rule " + std::to_string(rule.priority) + " (" + rule.origin + ")";
      for (const std::string& re : cond.regex_values) {
        try {
          cc.regexes.emplace_back(
              re, std::regex::ECMAScript | std::regex::optimize |
                      (cond.field == ConditionField::kPathPattern ? std::regex::flag_type{}
                                                                  : std::regex::icase));
        } catch (const std::regex_error& e) {
          return manifest_error(where + ": invalid regular expression '" + re + "': " + e.what());
        }
      }
      if (cond.field == ConditionField::kSourceIp) {
        for (const std::string& v : cond.values) {
          auto cidr = Cidr::parse(v);
          if (!cidr || v == "255.255.255.255/32")
            return manifest_error(where + ": source-ip '" + v + "' is not a usable CIDR block");
          cc.cidrs.push_back(*cidr);
        }
      }
      cr.conditions.push_back(std::move(cc));
    }
    compiled->rules.push_back(std::move(cr));
  }
  RouteTable table;
  table.compiled_ = std::move(compiled);
  return table;
}

RouteMatch RouteTable::match(const RequestView& request) const {
  const auto q = request.target.find('?');
  const std::string_view path = request.target.substr(0, q);
  const std::string_view query =
      q == std::string_view::npos ? std::string_view() : request.target.substr(q + 1);
  for (const CompiledRule& rule : compiled_->rules) {
    bool all = true;
    for (const CompiledCondition& c : rule.conditions) {
      if (!holds(c, request, path, query)) {
        all = false;
        break;
      }
    }
    if (all)
      return RouteMatch{rule.rule, &rule.rule->action};
  }
  return RouteMatch{nullptr, &compiled_->listener.default_action};
}

const Listener& RouteTable::listener() const {
  return compiled_->listener;
}

}  // namespace mysfits::ingress
