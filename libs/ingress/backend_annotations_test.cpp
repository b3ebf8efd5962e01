#include "ingress/backend_annotations.hpp"

#include <gtest/gtest.h>

#include "ingress/test_support.hpp"

namespace mysfits::ingress {
namespace {

using test::build;
using test::Req;
using test::route;
using test::table;

std::string ingress_with(const std::string& annotations, const std::string& service,
                         const std::string& port = "name: use-annotation",
                         const std::string& p = "/*") {
  return "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\n"
         "  annotations:\n    kubernetes.io/ingress.class: alb\n" +
         annotations + "spec:\n  rules:\n  - http:\n      paths:\n      - path: " + p +
         "\n        pathType: ImplementationSpecific\n        backend:\n          service:\n"
         "            name: " +
         service + "\n            port:\n              " + port + "\n";
}

TEST(BackendAnnotations, ActionKeysMatchCaseInsensitivelyLikeGo) {
  const RouteTable t = table(ingress_with(
      "    alb.ingress.kubernetes.io/actions.deny: >\n"
      "      {\"Type\":\"fixed-response\",\"FixedResponseConfig\":{\"ContentType\":\"text/plain\","
      "\"StatusCode\":\"404\",\"MessageBody\":\"nope\"}}\n",
      "deny"));
  EXPECT_EQ(test::backend(t, "/x"), "fixed-response:404");
  const auto& fixed = std::get<FixedResponse>(t.listener().rules[0].action);
  EXPECT_EQ(fixed.body, "nope");
}

TEST(BackendAnnotations, MissingActionAnnotationGivesThe503TheControllerUses) {
  const RouteTable t = table(ingress_with("", "absent"));
  const auto& fixed = std::get<FixedResponse>(t.listener().rules[0].action);
  EXPECT_EQ(fixed.status_code, 503);
  EXPECT_EQ(fixed.body, "Backend action does not exist");
}

TEST(BackendAnnotations, WeightedForwardNamesOneTargetGroupPerService) {
  const RouteTable t = table(
      ingress_with("    alb.ingress.kubernetes.io/actions.split: |\n"
                   "      {\"type\":\"forward\",\"forwardConfig\":{\"targetGroups\":[\n"
                   "        {\"serviceName\":\"blue\",\"servicePort\":\"80\",\"weight\":90},\n"
                   "        {\"serviceName\":\"green\",\"servicePort\":8080,\"weight\":10}]}}\n",
                   "split"));
  EXPECT_EQ(test::backend(t, "/x"), "blue:80@90,green:8080@10");
  const auto& fwd = std::get<Forward>(t.listener().rules[0].action);
  EXPECT_EQ(fwd.target_groups[0].target_group, "default/web-blue:80");
}

TEST(BackendAnnotations, RedirectActionKeepsOmittedParts) {
  auto a = parse_action_json(
      R"({"type":"redirect","redirectConfig":{"protocol":"HTTPS","port":"443","statusCode":"HTTP_301"}})",
      "x");
  ASSERT_TRUE(a.ok()) << a.error().message;
  const auto& r = std::get<Redirect>(a.value());
  EXPECT_EQ(r.status_code, 301);
  EXPECT_EQ(*r.protocol, "HTTPS");
  EXPECT_FALSE(r.host.has_value());
}

TEST(BackendAnnotations, BadActionsAreRefusedWithThePath) {
  const struct {
    const char* json;
    const char* what;
  } cases[] = {
      {R"({"type":"teleport"})", "type must be"},
      {R"({"type":"fixed-response","fixedResponseConfig":{"statusCode":"302"}})",
       "2XX, 4XX or 5XX"},
      {R"({"type":"fixed-response","fixedResponseConfig":{"statusCode":404}})", "must be a string"},
      {R"({"type":"fixed-response","fixedResponseConfig":{"statusCode":"404","contentType":"image/png"}})",
       "contentType"},
      {R"({"type":"redirect","redirectConfig":{"statusCode":"HTTP_307"}})", "HTTP_301 or HTTP_302"},
      {R"({"type":"forward","forwardConfig":{"targetGroups":[{"serviceName":"a","servicePort":80},{"serviceName":"b","servicePort":80}]}})",
       "weight is required"},
      {"{not json", "invalid JSON"},
  };
  for (const auto& c : cases) {
    auto a = parse_action_json(c.json, "web: annotation actions.x");
    ASSERT_FALSE(a.ok()) << c.json;
    EXPECT_NE(a.error().message.find(c.what), std::string::npos) << a.error().message;
    EXPECT_NE(a.error().message.find("web: annotation actions.x"), std::string::npos);
  }
}

// The table of an Ingress routing /api to Service api:80 with a conditions annotation (a JSON
// list); the test fails unless its one rule has `conditions` conditions.
RouteTable api_with_conditions(const std::string& json, std::size_t conditions) {
  const RouteTable t =
      table(ingress_with("    alb.ingress.kubernetes.io/conditions.api: '" + json + "'\n", "api",
                         "number: 80", "/api"));
  EXPECT_EQ(t.listener().rules.size(), 1u);
  EXPECT_EQ(t.listener().rules.empty() ? 0 : t.listener().rules[0].conditions.size(), conditions);
  return t;
}

// Each rule stays within the ALB's 5 condition values, so the condition types are spread over
// two rules: header, method and host here, query string and source IP below.
TEST(BackendAnnotations, ConditionsAddToTheRuleAndAllMustHold) {
  const RouteTable t = api_with_conditions(
      "[{\"field\":\"http-header\",\"httpHeaderConfig\":{\"httpHeaderName\":\"X-Canary\","
      "\"values\":[\"yes\",\"on*\"]}},"
      "{\"Field\":\"http-request-method\",\"HttpRequestMethodConfig\":{\"Values\":[\"GET\"]}},"
      "{\"field\":\"host-header\",\"hostHeaderConfig\":{\"values\":[\"api.example.com\"]}}]",
      4);
  Req ok{"/api", "GET", "API.example.com", {{"x-canary", "ONWARD"}}};
  EXPECT_EQ(route(t, ok).first, "api:80");
  const std::vector<std::pair<const char*, Req>> misses = {
      {"method is case-sensitive", Req{"/api", "get", "api.example.com", {{"X-Canary", "yes"}}}},
      {"header missing", Req{"/api", "GET", "api.example.com", {}}},
      {"host", Req{"/api", "GET", "web.example.com", {{"X-Canary", "yes"}}}},
      {"path", Req{"/apix", "GET", "api.example.com", {{"X-Canary", "yes"}}}},
  };
  for (const auto& [why, req] : misses)
    EXPECT_EQ(route(t, req).first, "fixed-response:404") << why;
}

TEST(BackendAnnotations, QueryStringAndSourceIpConditionsAllMustHold) {
  const RouteTable t = api_with_conditions(
      "[{\"field\":\"query-string\",\"queryStringConfig\":{\"values\":[{\"key\":\"v\","
      "\"value\":\"2\"},{\"value\":\"beta\"}]}},"
      "{\"field\":\"source-ip\",\"sourceIpConfig\":{\"values\":[\"10.0.0.0/8\",\"::1/128\"]}}]",
      3);
  Req ok{"/api?v=2", "GET", "", {}, "10.1.2.3"};
  EXPECT_EQ(route(t, ok).first, "api:80");
  Req bare = ok;
  bare.target = "/api?x=BETA";
  EXPECT_EQ(route(t, bare).first, "api:80");
  Req v6 = ok;
  v6.source_ip = "::1";
  EXPECT_EQ(route(t, v6).first, "api:80");
  EXPECT_EQ(route(t, Req{"/api?v=3", "GET", "", {}, "10.1.2.3"}).first, "fixed-response:404")
      << "query value";
  EXPECT_EQ(route(t, Req{"/api?v=2", "GET", "", {}, "192.168.1.1"}).first, "fixed-response:404")
      << "source ip";
}

TEST(BackendAnnotations, RepeatedHeadersAreEachTried) {
  const RouteTable t = table(ingress_with(
      "    alb.ingress.kubernetes.io/conditions.api: >\n"
      "      [{\"field\":\"http-header\",\"httpHeaderConfig\":{\"httpHeaderName\":\"x-v\","
      "\"values\":[\"2\"]}}]\n",
      "api", "number: 80"));
  EXPECT_EQ(route(t, Req{"/", "GET", "", {{"X-V", "1"}, {"X-V", "2"}}}).first, "api:80");
}

TEST(BackendAnnotations, RegexPathMatchStripsTheFirstCharacter) {
  const RouteTable t =
      table(ingress_with("    alb.ingress.kubernetes.io/use-regex-path-match: 'true'\n", "api",
                         "number: 80", "/^/api/v[0-9]+$"));
  EXPECT_EQ(t.listener().rules[0].conditions[0].regex_values,
            std::vector<std::string>{"^/api/v[0-9]+$"});
  EXPECT_EQ(test::backend(t, "/api/v12"), "api:80");
  EXPECT_EQ(test::backend(t, "/api/v12/x"), "fixed-response:404");
}

// docs/decisions/0002-ingress-rule-semantics.md: regexValues is a search, so an unanchored regex
// matches anywhere.
TEST(BackendAnnotations, UnanchoredRegexValuesSearchAndBadOnesAreRefusedAtLoad) {
  const RouteTable t =
      table(ingress_with("    alb.ingress.kubernetes.io/use-regex-path-match: 'true'\n", "api",
                         "number: 80", "/v[0-9]+"));
  EXPECT_EQ(test::backend(t, "/api/v2/users"), "api:80");
  EXPECT_EQ(test::backend(t, "/api/vx"), "fixed-response:404");
  auto bad = build(ingress_with("    alb.ingress.kubernetes.io/use-regex-path-match: 'true'\n",
                                "api", "number: 80", "/(["));
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("invalid regular expression"), std::string::npos);
  EXPECT_NE(bad.error().message.find("test.yaml:"), std::string::npos) << bad.error().message;
  EXPECT_NE(check_regex("(a{999}){999}").find("repeats too much"), std::string::npos);
  EXPECT_EQ(check_regex("^/v[0-9]{1,3}/x{2}$"), "");
  EXPECT_NE(check_regex("(a)\\1").find("backreference"), std::string::npos);
  EXPECT_NE(check_regex("a{00700000300814444444444").find("6 digits"), std::string::npos);
  EXPECT_NE(check_regex("x\\1000000000000000000000").find("6 digits"), std::string::npos);
  EXPECT_NE(check_regex("\\c\\\\\\2000000000000000000").find("6 digits"), std::string::npos);
  EXPECT_EQ(check_regex("a\\.b\\\\1"), "");  // an escaped dot, then an escaped backslash and '1'
  auto cidr = build(ingress_with(
      "    alb.ingress.kubernetes.io/conditions.api: >\n"
      "      [{\"field\":\"source-ip\",\"sourceIpConfig\":{\"values\":[\"10.0.0.0/33\"]}}]\n",
      "api", "number: 80"));
  ASSERT_FALSE(cidr.ok());
  EXPECT_NE(cidr.error().message.find("not a usable CIDR"), std::string::npos);
}

TEST(BackendAnnotations, MixingValuesAndRegexValuesIsRefused) {
  auto r = build(ingress_with(
      "    alb.ingress.kubernetes.io/conditions.api: >\n"
      "      [{\"field\":\"path-pattern\",\"pathPatternConfig\":{\"regexValues\":[\"^/x$\"]}}]\n",
      "api", "number: 80"));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("mixes values and regexValues"), std::string::npos);
}

}  // namespace
}  // namespace mysfits::ingress
