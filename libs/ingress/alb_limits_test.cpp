#include "ingress/alb_limits.hpp"

#include <gtest/gtest.h>

#include <initializer_list>

#include "ingress/test_support.hpp"

// Each of the ALB's limits at the limit (accepted) and one past it (refused with a message that
// names the limit, the Ingress, the file and the line).
namespace mysfits::ingress {
namespace {

using test::doc;
using test::path;

constexpr const char* kFile = "limits.yaml";
constexpr int kIngressLine = 2;     // test::doc's object, after its "---"
constexpr int kFirstPathLine = 13;  // test::doc without annotations or host
constexpr int kLinesPerPath = 7;

core::Result<std::vector<LoadBalancer>> build(const std::string& yaml) {
  return test::build(yaml, kFile);
}

void expect_refused(const std::string& yaml, std::initializer_list<std::string> parts) {
  auto lbs = build(yaml);
  ASSERT_FALSE(lbs.ok()) << "accepted although past a limit";
  for (const std::string& part : parts)
    EXPECT_NE(lbs.error().message.find(part), std::string::npos)
        << "'" << part << "' missing in: " << lbs.error().message;
}

void expect_accepted(const std::string& yaml) {
  auto lbs = build(yaml);
  EXPECT_TRUE(lbs.ok()) << lbs.error().message;
}

// n ImplementationSpecific paths of one length, so they keep their order: rule i is path i.
std::string numbered_paths(int n, const std::string& prefix = "/p") {
  std::string out;
  for (int i = 0; i < n; ++i) {
    std::string number = std::to_string(i);
    out += path(prefix + std::string(3 - number.size(), '0') + number, "ImplementationSpecific",
                "svc");
  }
  return out;
}

std::string conditions(const std::string& json) {
  return "    alb.ingress.kubernetes.io/conditions.svc: '" + json + "'\n";
}

std::string methods(std::initializer_list<const char*> values) {
  std::string list;
  for (const char* v : values)
    list += std::string(list.empty() ? "" : ",") + "\"" + v + "\"";
  return "[{\"field\":\"http-request-method\",\"httpRequestMethodConfig\":{\"values\":[" + list +
         "]}}]";
}

std::string at_line(int line) {
  return std::string(kFile) + ":" + std::to_string(line);
}

TEST(AlbLimits, AHundredRulesPerLoadBalancerAndNotOneMore) {
  expect_accepted(doc("web", "", numbered_paths(100)));
  expect_refused(doc("web", "", numbered_paths(101)),
                 {at_line(kFirstPathLine + 100 * kLinesPerPath), "Ingress default/web", "/p100",
                  "has 101 rules", "at most 100 per load balancer"});
}

TEST(AlbLimits, TheRuleLimitCountsEveryListenerOfTheLoadBalancer) {
  const std::string group = "    alb.ingress.kubernetes.io/group.name: shop\n";
  const std::string other_port =
      group + "    alb.ingress.kubernetes.io/listen-ports: '[{\"HTTP\": 8080}]'\n";
  expect_accepted(doc("a", group, numbered_paths(60)) +
                  doc("b", other_port, numbered_paths(40, "/q")));
  expect_refused(
      doc("a", group, numbered_paths(60)) + doc("b", other_port, numbered_paths(41, "/q")),
      {"Ingress default/b", "/q040", "listener 8080", "has 101 rules"});
}

TEST(AlbLimits, FiveConditionValuesPerRuleCountingAPrefixPathAsTwo) {
  // host 1 + Prefix /x ("/x" and "/x/*") 2 + methods 2 = 5.
  expect_accepted(doc("web", conditions(methods({"GET", "POST"})), path("/x", "Prefix", "svc"), "",
                      "default", "a.example.com"));
  expect_refused(doc("web", conditions(methods({"GET", "POST", "PUT"})),
                     path("/x", "Prefix", "svc"), "", "default", "a.example.com"),
                 {at_line(kFirstPathLine + 2), "Ingress default/web", "/x (Prefix)",
                  "6 condition values", "at most 5 per rule", "a Prefix path counts as two"});
}

TEST(AlbLimits, ThreeValuesPerCondition) {
  expect_accepted(doc("web", conditions(methods({"GET", "POST", "PUT"})),
                      path("/x", "ImplementationSpecific", "svc")));
  expect_refused(doc("web", conditions(methods({"GET", "POST", "PUT", "PATCH"})),
                     path("/x", "ImplementationSpecific", "svc")),
                 {at_line(kFirstPathLine + 1), "Ingress default/web",
                  "http-request-method has 4 values", "at most 3 per condition"});
}

TEST(AlbLimits, FiveWildcardsPerRule) {
  expect_accepted(doc("web", "", path("/*/*/*/*/*", "ImplementationSpecific", "svc")));
  expect_refused(
      doc("web", "", path("/*/*/*/*/*/*", "ImplementationSpecific", "svc")),
      {at_line(kFirstPathLine), "Ingress default/web", "6 wildcards", "at most 5 per rule"});
  // Across conditions: Prefix "/x" makes "/x/*" (1), the header values 4 and 5 more.
  const auto header = [](const char* value) {
    return conditions(std::string("[{\"field\":\"http-header\",\"httpHeaderConfig\":{"
                                  "\"httpHeaderName\":\"X-Team\",\"values\":[\"") +
                      value + "\"]}}]");
  };
  expect_accepted(doc("web", header("a*b?c*d?"), path("/x", "Prefix", "svc")));
  expect_refused(doc("web", header("a*b?c*d?e*"), path("/x", "Prefix", "svc")),
                 {"Ingress default/web", "6 wildcards"});
}

TEST(AlbLimits, EscapedQueryWildcardsAreLiteralAndNotCounted) {
  Condition query{ConditionField::kQueryString, {}, {}, {}, {{"k*", "\\*v\\?*"}}};
  EXPECT_EQ(wildcards_of(query), 2u);
  Condition methods_only{ConditionField::kHttpRequestMethod, {}, {"GET"}, {}, {}};
  EXPECT_EQ(wildcards_of(methods_only), 0u);
}

TEST(AlbLimits, PathPatternsOfAtMost128Characters) {
  expect_accepted(doc("web", "", path("/" + std::string(127, 'a'), "ImplementationSpecific", "s")));
  expect_refused(doc("web", "", path("/" + std::string(128, 'a'), "ImplementationSpecific", "s")),
                 {at_line(kFirstPathLine), "Ingress default/web", "129 characters", "at most 128"});
  // A Prefix path's second value, "/x/*", is two characters longer than the path.
  expect_accepted(doc("web", "", path("/" + std::string(125, 'a'), "Prefix", "s")));
  expect_refused(doc("web", "", path("/" + std::string(126, 'a'), "Prefix", "s")),
                 {at_line(kFirstPathLine), "129 characters", "at most 128"});
}

std::string forward(int legs, const std::string& weight) {
  std::string list;
  for (int i = 0; i < legs; ++i) {
    list += std::string(list.empty() ? "" : ",") + "{\"serviceName\":\"s" + std::to_string(i) +
            "\",\"servicePort\":80,\"weight\":" + weight + "}";
  }
  return "    alb.ingress.kubernetes.io/actions.split: '{\"type\":\"forward\",\"forwardConfig\":{"
         "\"targetGroups\":[" +
         list + "]}}'\n";
}

TEST(AlbLimits, FiveTargetGroupsPerForwardAction) {
  const std::string p = path("/*", "ImplementationSpecific", "split", "name: use-annotation");
  expect_accepted(doc("web", forward(5, "1"), p));
  expect_refused(doc("web", forward(6, "1"), p),
                 {at_line(kIngressLine), "Ingress default/web", "actions.split", "6 target groups",
                  "at most 5 per forward action"});
}

TEST(AlbLimits, ForwardWeightsFrom0To999) {
  const std::string p = path("/*", "ImplementationSpecific", "split", "name: use-annotation");
  expect_accepted(doc("web", forward(2, "999"), p));
  expect_accepted(doc("web", forward(2, "0"), p));
  expect_refused(doc("web", forward(2, "1000"), p),
                 {at_line(kIngressLine), "Ingress default/web", "weight", "0..999"});
  expect_refused(doc("web", forward(2, "-1"), p), {"Ingress default/web", "0..999"});
}

TEST(AlbLimits, GroupOrderFromMinus1000To1000) {
  const auto order = [](const char* value) {
    return "    alb.ingress.kubernetes.io/group.name: shop\n"
           "    alb.ingress.kubernetes.io/group.order: '" +
           std::string(value) + "'\n";
  };
  const std::string p = path("/*", "ImplementationSpecific", "svc");
  expect_accepted(doc("low", order("-1000"), p) + doc("high", order("1000"), p));
  expect_refused(doc("web", order("-1001"), p), {at_line(kIngressLine), "Ingress default/web",
                                                 "group.order", "outside -1000..1000"});
  expect_refused(doc("web", order("1001"), p), {"Ingress default/web", "outside -1000..1000"});
}

// The controller allows equal orders (ties go by namespace/name, see the load balancer tests):
// an order shared by two members is not refused.
TEST(AlbLimits, AnOrderSharedByTwoMembersIsAllowed) {
  const std::string same =
      "    alb.ingress.kubernetes.io/group.name: shop\n"
      "    alb.ingress.kubernetes.io/group.order: '5'\n";
  expect_accepted(doc("a", same, path("/a", "Prefix", "svc")) +
                  doc("b", same, path("/b", "Prefix", "svc")));
}

TEST(AlbLimits, EveryLimitBrokenIsListedOneALine) {
  auto lbs = build(doc("web", "",
                       path("/*/*/*/*/*/*", "ImplementationSpecific", "svc") +
                           path("/a/*/*/*/*/*/*", "ImplementationSpecific", "svc")));
  ASSERT_FALSE(lbs.ok());
  EXPECT_NE(lbs.error().message.find(at_line(kFirstPathLine) + ": Ingress default/web"),
            std::string::npos)
      << lbs.error().message;
  EXPECT_NE(lbs.error().message.find("\n" + at_line(kFirstPathLine + kLinesPerPath)),
            std::string::npos)
      << lbs.error().message;
}

}  // namespace
}  // namespace mysfits::ingress
