#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ingress/load_balancer.hpp"
#include "ingress/manifest.hpp"
#include "ingress/route_table.hpp"
#include "support/build_tree.hpp"

namespace mysfits::ingress::test {

// Parses YAML text and builds its load balancers; the error message on failure.
inline core::Result<std::vector<LoadBalancer>> build(const std::string& yaml,
                                                     const std::string& source = "test.yaml") {
  Manifests m;
  if (auto r = parse_manifest_text(yaml, source, m); !r)
    return r.error();
  return build_load_balancers(m);
}

// The route table of the only load balancer's serving listener; fails the test otherwise.
inline RouteTable table(const std::string& yaml) {
  auto lbs = build(yaml);
  EXPECT_TRUE(lbs.ok()) << (lbs.ok() ? "" : lbs.error().message);
  if (!lbs.ok() || lbs->size() != 1 || lbs->front().serving_listener() == nullptr) {
    ADD_FAILURE() << "expected exactly one load balancer with a listener";
    return RouteTable::build(Listener{}).value();
  }
  auto t = RouteTable::build(*lbs->front().serving_listener());
  EXPECT_TRUE(t.ok()) << (t.ok() ? "" : t.error().message);
  return t.ok() ? t.value() : RouteTable::build(Listener{}).value();
}

// An Ingress document with the given name, annotations (YAML lines, 4-space indented) and
// http.paths (YAML lines) under one rule, with `host` when not empty. Its first path entry is on
// line 13 of the document, plus one per annotation line, extra_spec line and host.
inline std::string doc(const std::string& name, const std::string& annotations,
                       const std::string& paths, const std::string& extra_spec = "",
                       const std::string& ns = "default", const std::string& host = "") {
  return "---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: " + name +
         "\n  namespace: " + ns + "\n  annotations:\n    kubernetes.io/ingress.class: alb\n" +
         annotations + "spec:\n" + extra_spec + "  rules:\n  - " +
         (host.empty() ? "" : "host: " + host + "\n    ") + "http:\n      paths:\n" + paths;
}

// One http.paths entry (7 lines).
inline std::string path(const std::string& p, const std::string& type, const std::string& svc,
                        const std::string& port = "number: 80") {
  return "      - path: " + p + "\n        pathType: " + type +
         "\n        backend:\n          service:\n            name: " + svc +
         "\n            port:\n              " + port + "\n";
}

struct Req {
  Req(std::string target_in, std::string method_in = "GET", std::string host_in = {},
      std::vector<std::pair<std::string, std::string>> headers_in = {},
      std::string source_ip_in = "127.0.0.1")
      : target(std::move(target_in)),
        method(std::move(method_in)),
        host(std::move(host_in)),
        headers(std::move(headers_in)),
        source_ip(std::move(source_ip_in)) {}
  std::string target;
  std::string method = "GET";
  std::string host;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string source_ip = "127.0.0.1";
};

// "service:port", "fixed-response:404" ... of the rule that answers, and its priority.
inline std::pair<std::string, int> route(const RouteTable& t, const Req& r) {
  RequestView v;
  v.method = r.method;
  v.target = r.target;
  v.host = r.host;
  v.source_ip = r.source_ip;
  for (const auto& [k, val] : r.headers)
    v.headers.emplace_back(k, val);
  const RouteMatch m = t.match(v);
  return {describe_action(*m.action), m.priority()};
}

inline std::string backend(const RouteTable& t, const std::string& target,
                           const std::string& method = "GET") {
  return route(t, Req{target, method}).first;
}

}  // namespace mysfits::ingress::test
