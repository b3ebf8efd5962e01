#include "ingress/load_balancer.hpp"

#include <gtest/gtest.h>

#include "ingress/test_support.hpp"

namespace mysfits::ingress {
namespace {

using test::backend;
using test::build;
using test::Req;
using test::route;
using test::table;

using test::doc;
using test::path;

const char* kGroup = "    alb.ingress.kubernetes.io/group.name: shop\n";

// #2763: sorting never crosses Ingresses; member order is group.order, then namespace/name.
TEST(LoadBalancer, GroupMembersKeepTheirOwnOrderSoAnEarlierCatchAllShadowsLaterPaths) {
  const RouteTable t = table(doc("ingress-2", kGroup, path("/abc/", "Exact", "abc")) +
                             doc("ingress-1", kGroup, path("/*", "ImplementationSpecific", "all")));
  EXPECT_EQ(route(t, Req{"/abc/"}), (std::pair<std::string, int>("all:80", 1)));
}

// #3393 / #4067: a negative group.order puts a deny rule first; duplicates tie by name.
TEST(LoadBalancer, GroupOrderPlacesMembersAndTiesBreakByNamespaceThenName) {
  const std::string deny =
      std::string(kGroup) + "    alb.ingress.kubernetes.io/group.order: '-5'\n";
  const std::string same = std::string(kGroup) + "    alb.ingress.kubernetes.io/group.order: '7'\n";
  auto lbs = build(doc("zz-app", kGroup, path("/", "Prefix", "app")) +
                   doc("deny", deny, path("/admin", "Prefix", "deny")) +
                   doc("b", same, path("/b", "Prefix", "b"), "", "ns1") +
                   doc("a", same, path("/a", "Prefix", "a"), "", "ns2"));
  ASSERT_TRUE(lbs.ok()) << lbs.error().message;
  ASSERT_EQ(lbs->size(), 1u);
  EXPECT_EQ(lbs->front().members,
            (std::vector<std::string>{"default/deny", "default/zz-app", "ns1/b", "ns2/a"}));
  const RouteTable t = RouteTable::build(*lbs->front().serving_listener()).value();
  EXPECT_EQ(route(t, Req{"/admin/x"}), (std::pair<std::string, int>("deny:80", 1)));
}

TEST(LoadBalancer, IngressesWithoutGroupNameGetOneLoadBalancerEach) {
  auto lbs =
      build(doc("one", "", path("/", "Prefix", "a")) + doc("two", "", path("/", "Prefix", "b")));
  ASSERT_TRUE(lbs.ok()) << lbs.error().message;
  ASSERT_EQ(lbs->size(), 2u);
  EXPECT_EQ(lbs->at(0).group, "default/one");
  EXPECT_EQ(lbs->at(1).group, "default/two");
}

TEST(LoadBalancer, OnlyAlbIngressesAreUsed) {
  const std::string other =
      "---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: nginx\n"
      "  annotations:\n    kubernetes.io/ingress.class: nginx\nspec:\n  ingressClassName: alb\n";
  const std::string by_class_name =
      "---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: byname\n"
      "spec:\n  ingressClassName: alb\n";
  const std::string unclassed =
      "---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: none\nspec: {}\n";
  auto lbs = build(other + by_class_name + unclassed +
                   "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n");
  ASSERT_TRUE(lbs.ok()) << lbs.error().message;
  ASSERT_EQ(lbs->size(), 1u);
  EXPECT_EQ(lbs->front().group, "default/byname");
}

TEST(LoadBalancer, IngressClassObjectsDecideWhichClassNamesAreAlb) {
  const std::string cls =
      "---\napiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata:\n  name: public\n"
      "  annotations:\n    ingressclass.kubernetes.io/is-default-class: 'true'\n"
      "spec:\n  controller: ingress.k8s.aws/alb\n";
  const std::string named =
      "---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: named\n"
      "spec:\n  ingressClassName: public\n";
  const std::string unclassed =
      "---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: dflt\nspec: {}\n";
  auto lbs = build(cls + named + unclassed);
  ASSERT_TRUE(lbs.ok()) << lbs.error().message;
  EXPECT_EQ(lbs->size(), 2u);
}

TEST(LoadBalancer, RulesGoOnlyToTheListenersOfTheirOwnIngress) {
  const std::string ports =
      std::string(kGroup) + "    alb.ingress.kubernetes.io/listen-ports: '[{\"HTTP\": 8081}]'\n";
  auto lbs = build(doc("a", kGroup, path("/a", "Prefix", "a")) +
                   doc("b", ports, path("/b", "Prefix", "b")));
  ASSERT_TRUE(lbs.ok()) << lbs.error().message;
  const LoadBalancer& lb = lbs->front();
  ASSERT_EQ(lb.listeners.size(), 2u);
  ASSERT_NE(lb.listener(80), nullptr);
  ASSERT_NE(lb.listener(8081), nullptr);
  EXPECT_EQ(lb.listener(80)->rules.size(), 1u);
  EXPECT_EQ(describe_action(lb.listener(8081)->rules[0].action), "b:80");
}

TEST(LoadBalancer, DefaultBackendBecomesTheDefaultActionAndTwoAreRefused) {
  const std::string db =
      "  defaultBackend:\n    service:\n      name: fallback\n      port:\n        number: 8080\n";
  const RouteTable t = table(doc("a", "", path("/a", "Prefix", "a"), db));
  EXPECT_EQ(route(t, Req{"/zzz"}), (std::pair<std::string, int>("fallback:8080", 0)));
  auto two = build(doc("a", kGroup, path("/a", "Prefix", "a"), db) +
                   doc("b", kGroup, path("/b", "Prefix", "b"), db));
  ASSERT_FALSE(two.ok());
  EXPECT_NE(two.error().message.find("defaultBackend"), std::string::npos);
}

TEST(LoadBalancer, SslRedirectEmptiesHttpListenersAndServesTheHttpsOne) {
  const std::string ann =
      "    alb.ingress.kubernetes.io/listen-ports: '[{\"HTTP\": 80}, {\"HTTPS\": 443}]'\n"
      "    alb.ingress.kubernetes.io/ssl-redirect: '443'\n";
  auto lbs = build(doc("a", ann, path("/", "Prefix", "app")));
  ASSERT_TRUE(lbs.ok()) << lbs.error().message;
  const LoadBalancer& lb = lbs->front();
  EXPECT_TRUE(lb.listener(80)->rules.empty());
  EXPECT_EQ(describe_action(lb.listener(80)->default_action), "redirect:301");
  EXPECT_EQ(lb.serving_listener()->port, 443);
  auto bad = build(
      doc("a", "    alb.ingress.kubernetes.io/ssl-redirect: '443'\n", path("/", "Prefix", "app")));
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("not an HTTPS listener"), std::string::npos);
}

TEST(LoadBalancer, ExclusiveAnnotationsMustAgreeAcrossTheGroup) {
  auto lbs = build(
      doc("a", std::string(kGroup) + "    alb.ingress.kubernetes.io/scheme: internal\n",
          path("/a", "Prefix", "a")) +
      doc("b", std::string(kGroup) + "    alb.ingress.kubernetes.io/scheme: internet-facing\n",
          path("/b", "Prefix", "b")));
  ASSERT_FALSE(lbs.ok());
  EXPECT_NE(lbs.error().message.find("conflicts"), std::string::npos);
}

TEST(LoadBalancer, TargetGroupsArePerIngressServiceAndPort) {
  auto lbs = build(doc("a", kGroup, path("/a", "Prefix", "svc") + path("/b", "Prefix", "svc")) +
                   doc("b", kGroup, path("/c", "Prefix", "svc")));
  ASSERT_TRUE(lbs.ok()) << lbs.error().message;
  ASSERT_EQ(lbs->front().target_groups.size(), 2u);
  EXPECT_EQ(lbs->front().target_groups[0].id, "default/a-svc:80");
  EXPECT_EQ(lbs->front().target_groups[1].id, "default/b-svc:80");
}

}  // namespace
}  // namespace mysfits::ingress
