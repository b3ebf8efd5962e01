#include "ingress/route_table.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "ingress/test_support.hpp"

namespace mysfits::ingress {
namespace {

using test::backend;
using test::Req;
using test::route;
using test::table;

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// One Ingress with one host block; `paths` is the YAML list under http.paths.
std::string ingress(const std::string& paths, const std::string& annotations = "",
                    const std::string& host = "") {
  return "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\n"
         "  annotations:\n    kubernetes.io/ingress.class: alb\n" +
         annotations + "spec:\n  rules:\n  - " + (host.empty() ? "" : "host: " + host + "\n    ") +
         "http:\n      paths:\n" + paths;
}

std::string path(const std::string& p, const std::string& type, const std::string& svc,
                 int port = 80) {
  return "      - path: " + p + "\n        pathType: " + type +
         "\n        backend:\n          service:\n            name: " + svc +
         "\n            port:\n              number: " + std::to_string(port) + "\n";
}

TEST(RouteTable, SeedIngressRoutesLikeToTheLikeServiceAndTheRestToTheMonolith) {
  const RouteTable t =
      table(read_file(testing::source_path("tests/data/ingress/seed-ingress.yaml")));
  ASSERT_EQ(t.listener().port, 80);
  ASSERT_EQ(t.listener().rules.size(), 2u);
  const struct {
    const char* target;
    const char* method;
    const char* backend;
    int priority;
  } cases[] = {
      {"/mysfits/abc/like", "POST", "mythical-mysfits-like:80", 1},
      {"/mysfits/abc/like?x=1", "POST", "mythical-mysfits-like:80", 1},
      {"/mysfits/abc/likes", "POST", "mythical-mysfits-nolike:80", 2},
      {"/mysfits/abc/fulfill-like", "POST", "mythical-mysfits-nolike:80", 2},
      {"/mysfits/abc/adopt", "POST", "mythical-mysfits-nolike:80", 2},
      {"/mysfits", "GET", "mythical-mysfits-nolike:80", 2},
      {"/", "GET", "mythical-mysfits-nolike:80", 2},
  };
  for (const auto& c : cases) {
    const auto [got, priority] = route(t, Req{c.target, c.method});
    EXPECT_EQ(got, c.backend) << c.target;
    EXPECT_EQ(priority, c.priority) << c.target;
  }
}

// Spec 2.11: Exact first, Prefix longest first, ImplementationSpecific last (and unreachable
// here: the Prefix "/" rule, "/*", catches everything first; the complaint of #2903).
TEST(RouteTable, WorkedExampleOrdersExactThenPrefixLongestFirstThenImplementationSpecific) {
  const RouteTable t = table(ingress(
      path("/", "Prefix", "web") + path("/api", "Prefix", "api") + path("/healthz", "Exact", "hz") +
      path("/static/*.css", "ImplementationSpecific", "cdn") + path("/api/v2", "Prefix", "v2")));
  const auto& rules = t.listener().rules;
  ASSERT_EQ(rules.size(), 5u);
  const std::vector<std::vector<std::string>> values = {
      {"/healthz"}, {"/api/v2", "/api/v2/*"}, {"/api", "/api/*"}, {"/*"}, {"/static/*.css"}};
  for (std::size_t i = 0; i < rules.size(); ++i) {
    EXPECT_EQ(rules[i].priority, static_cast<int>(i + 1));
    ASSERT_EQ(rules[i].conditions.size(), 1u);
    EXPECT_EQ(rules[i].conditions[0].values, values[i]) << "priority " << i + 1;
  }
  EXPECT_EQ(route(t, Req{"/healthz"}), (std::pair<std::string, int>("hz:80", 1)));
  EXPECT_EQ(route(t, Req{"/healthz/x"}), (std::pair<std::string, int>("web:80", 4)));
  EXPECT_EQ(route(t, Req{"/api/v2"}), (std::pair<std::string, int>("v2:80", 2)));
  EXPECT_EQ(route(t, Req{"/api/v2/users"}), (std::pair<std::string, int>("v2:80", 2)));
  EXPECT_EQ(route(t, Req{"/api/v20"}), (std::pair<std::string, int>("api:80", 3)));
  EXPECT_EQ(route(t, Req{"/api"}), (std::pair<std::string, int>("api:80", 3)));
  EXPECT_EQ(route(t, Req{"/apis"}), (std::pair<std::string, int>("web:80", 4)));
  EXPECT_EQ(route(t, Req{"/static/site.css"}), (std::pair<std::string, int>("web:80", 4)));
}

TEST(RouteTable, NoMatchingRuleGivesTheDefaultFixed404) {
  const RouteTable t = table(ingress(path("/api", "Prefix", "api")));
  EXPECT_EQ(route(t, Req{"/other"}), (std::pair<std::string, int>("fixed-response:404", 0)));
  const auto* fixed = std::get_if<FixedResponse>(&t.listener().default_action);
  ASSERT_NE(fixed, nullptr);
  EXPECT_EQ(fixed->content_type, "text/plain");
  EXPECT_EQ(fixed->body, "");
}

TEST(RouteTable, ExactPathBeatsLongerPrefixAndKeepsItsTrailingSlash) {
  const RouteTable t =
      table(ingress(path("/abc/def", "Prefix", "long") + path("/abc/", "Exact", "exact")));
  EXPECT_EQ(route(t, Req{"/abc/"}), (std::pair<std::string, int>("exact:80", 1)));
  EXPECT_EQ(backend(t, "/abc"), "fixed-response:404");
  EXPECT_EQ(backend(t, "/abc/def/x"), "long:80");
}

// #2207: Prefix is element-wise, not a string prefix.
TEST(RouteTable, PrefixMatchesWholeSegmentsOnly) {
  const RouteTable t = table(ingress(path("/some-prefix/", "Prefix", "p")));
  EXPECT_EQ(t.listener().rules[0].conditions[0].values,
            (std::vector<std::string>{"/some-prefix", "/some-prefix/*"}));
  EXPECT_EQ(backend(t, "/some-prefix"), "p:80");
  EXPECT_EQ(backend(t, "/some-prefix/"), "p:80");
  EXPECT_EQ(backend(t, "/some-prefix/a/b"), "p:80");
  EXPECT_EQ(backend(t, "/some-prefixfoo"), "fixed-response:404");
  EXPECT_EQ(backend(t, "/Some-Prefix"), "fixed-response:404");
}

// #1702 and #667/#699: Prefix "/" is everything, ImplementationSpecific "/" the root only.
TEST(RouteTable, PrefixSlashIsEverythingButImplementationSpecificSlashIsTheRoot) {
  EXPECT_EQ(backend(table(ingress(path("/", "Prefix", "all"))), "/deep/path"), "all:80");
  const RouteTable t = table(ingress(path("/", "ImplementationSpecific", "root")));
  EXPECT_EQ(backend(t, "/"), "root:80");
  EXPECT_EQ(backend(t, "/deep/path"), "fixed-response:404");
  const RouteTable untyped = table(
      ingress("      - path: /\n        backend:\n          service:\n            name: root\n"
              "            port:\n              number: 80\n"));
  EXPECT_EQ(backend(untyped, "/x"), "fixed-response:404");
}

// #2903 / #3413: sorting moves a shorter Prefix above a longer ImplementationSpecific rule.
TEST(RouteTable, PrefixCatchAllShadowsALaterImplementationSpecificDenyRule) {
  const RouteTable t = table(
      ingress(path("/admin/*", "ImplementationSpecific", "deny") + path("/", "Prefix", "app")));
  EXPECT_EQ(route(t, Req{"/admin/users"}), (std::pair<std::string, int>("app:80", 1)));
}

// #3056: '*' can start a segment in ImplementationSpecific.
TEST(RouteTable, WildcardSegmentsWorkInImplementationSpecific) {
  const RouteTable t = table(ingress(path("/*/api", "ImplementationSpecific", "api")));
  EXPECT_EQ(backend(t, "/v1/api"), "api:80");
  EXPECT_EQ(backend(t, "/v1/api/x"), "fixed-response:404");
}

TEST(RouteTable, SortingIsPerHostBlockNeverAcrossBlocks) {
  const std::string yaml =
      "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\n"
      "spec:\n  ingressClassName: alb\n  rules:\n"
      "  - http:\n      paths:\n" +
      path("/", "Prefix", "first") + "  - http:\n      paths:\n" + path("/abc", "Exact", "second");
  const RouteTable t = table(yaml);
  EXPECT_EQ(route(t, Req{"/abc"}), (std::pair<std::string, int>("first:80", 1)));
}

TEST(RouteTable, HostRulesMatchCaseInsensitivelyIgnoringThePort) {
  const RouteTable t =
      table(ingress(path("/", "Prefix", "api"), "", "api.Example.com") +
            "  - host: '*.example.com'\n    http:\n      paths:\n" + path("/", "Prefix", "wild"));
  EXPECT_EQ(route(t, Req{"/", "GET", "API.example.COM:8080"}).first, "api:80");
  EXPECT_EQ(route(t, Req{"/", "GET", "a.b.example.com"}).first, "wild:80");
  EXPECT_EQ(route(t, Req{"/", "GET", "example.com"}).first, "fixed-response:404");
  EXPECT_EQ(route(t, Req{"/", "GET", ""}).first, "fixed-response:404");
}

// #3541: a host with no path gives a host-only rule.
TEST(RouteTable, HostWithoutPathMakesAHostOnlyRule) {
  const RouteTable t =
      table(ingress("      - backend:\n          service:\n            name: h\n            port:\n"
                    "              number: 80\n",
                    "", "h.example.com"));
  ASSERT_EQ(t.listener().rules[0].conditions.size(), 1u);
  EXPECT_EQ(t.listener().rules[0].conditions[0].field, ConditionField::kHostHeader);
  EXPECT_EQ(route(t, Req{"/any/thing", "GET", "h.example.com"}).first, "h:80");
}

TEST(RouteTable, NoHostNoPathGetsTheCatchAllPathCondition) {
  const RouteTable t = table(
      ingress("      - backend:\n          service:\n            name: all\n            port:\n"
              "              number: 80\n"));
  EXPECT_EQ(t.listener().rules[0].conditions[0].values, std::vector<std::string>{"/*"});
  EXPECT_EQ(backend(t, "/x"), "all:80");
}

TEST(RouteTable, QueryStringIsNotPartOfThePath) {
  const RouteTable t = table(ingress(path("/search", "Exact", "s")));
  EXPECT_EQ(backend(t, "/search?q=a/b"), "s:80");
  EXPECT_EQ(backend(t, "/search/?q"), "fixed-response:404");
}

TEST(RouteTable, PathsAreMatchedRawWithoutDecodingOrNormalising) {
  const RouteTable t = table(ingress(path("/a/b", "Exact", "ab")));
  EXPECT_EQ(backend(t, "/a/b"), "ab:80");
  EXPECT_EQ(backend(t, "/a%2Fb"), "fixed-response:404");
  EXPECT_EQ(backend(t, "/a//b"), "fixed-response:404");
  EXPECT_EQ(backend(t, "/a/./b"), "fixed-response:404");
}

}  // namespace
}  // namespace mysfits::ingress
