#pragma once

#include <memory>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"
#include "ingress/rule.hpp"

namespace mysfits::ingress {

// What a listener rule can look at in one request. Views: the caller keeps the strings alive.
struct RequestView {
  std::string_view method;
  std::string_view target;  // as sent: path, then an optional "?query"
  std::string_view host;    // the first Host header, possibly with ":port"
  std::vector<std::pair<std::string_view, std::string_view>> headers;  // every header, in order
  std::string_view source_ip;  // the TCP peer, never X-Forwarded-For
};

struct RouteMatch {
  const Rule* rule = nullptr;  // nullptr: the listener's default action
  const Action* action = nullptr;
  int priority() const { return rule != nullptr ? rule->priority : 0; }
};

// One listener's rules, compiled (regexes, CIDRs) and immutable: a pure matcher that many
// threads share. Rules are tried in priority order; the first whose conditions all hold wins.
class RouteTable {
 public:
  static core::Result<RouteTable> build(Listener listener);

  RouteMatch match(const RequestView& request) const;
  const Listener& listener() const;

 private:
  struct Compiled;
  std::shared_ptr<const Compiled> compiled_;
};

// Host header value without a ":port" suffix (brackets of an IPv6 literal kept).
std::string_view host_without_port(std::string_view host);

}  // namespace mysfits::ingress
