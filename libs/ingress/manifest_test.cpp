#include "ingress/manifest.hpp"

#include <gtest/gtest.h>

#include "ingress/test_support.hpp"

namespace mysfits::ingress {
namespace {

using test::build;

const char* kHead =
    "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\n"
    "  annotations:\n    kubernetes.io/ingress.class: alb\n";

std::string with_path(const std::string& p, const std::string& type) {
  return std::string(kHead) + "spec:\n  rules:\n  - http:\n      paths:\n      - path: " + p +
         "\n        pathType: " + type +
         "\n        backend:\n          service:\n            name: s\n            port:\n"
         "              number: 80\n";
}

// Each broken manifest is refused with a message naming the file:line and what is wrong.
TEST(Manifest, BrokenManifestsAreRefusedWithWhatAndWhere) {
  const struct {
    std::string yaml;
    const char* where;
    const char* what;
  } cases[] = {
      {with_path("/a*", "Exact"), "bad.yaml:11", "Exact path must not contain wildcards"},
      {with_path("/a?", "Prefix"), "bad.yaml:11", "Prefix path must not contain wildcards"},
      {with_path("/a", "Regex"), "bad.yaml:11", "unknown pathType 'Regex'"},
      {with_path("/a b", "ImplementationSpecific"), "bad.yaml:11", "character the ALB rejects"},
      {with_path("'*/api'", "ImplementationSpecific"), "bad.yaml:11", "must start with '/'"},
      {std::string(kHead) + "spec:\n  rules: {}\n", "bad.yaml:8", "spec.rules must be a list"},
      {"kind: Ingress\napiVersion: extensions/v1beta1\nmetadata: {name: x}\n", "bad.yaml:1",
       "use networking.k8s.io/v1"},
      {"a: [1, 2\n", "bad.yaml:", "invalid YAML"},
      {std::string(kHead) +
           "spec:\n  rules:\n  - http:\n      paths:\n      - path: /a\n        pathType: Prefix\n"
           "        backend:\n          service:\n            name: s\n            port: {}\n",
       "bad.yaml:16", "service.port needs number or name"},
      {std::string(kHead) + "    alb.ingress.kubernetes.io/group.order: '1001'\nspec: {}\n",
       "bad.yaml:1", "outside -1000..1000"},
      {std::string(kHead) + "    alb.ingress.kubernetes.io/group.name: Bad_Name\nspec: {}\n",
       "bad.yaml:1", "not a valid group name"},
  };
  for (const auto& c : cases) {
    auto r = build(c.yaml, "bad.yaml");
    ASSERT_FALSE(r.ok()) << c.yaml;
    EXPECT_NE(r.error().message.find(c.where), std::string::npos) << r.error().message;
    EXPECT_NE(r.error().message.find(c.what), std::string::npos) << r.error().message;
  }
}

TEST(Manifest, ReadsMultipleDocumentsListsNamespacesAndServices) {
  const std::string yaml =
      "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n  namespace: shop\n"
      "spec:\n  ports:\n  - name: http\n    port: 80\n"
      "---\n"
      "apiVersion: v1\nkind: List\nitems:\n"
      "- apiVersion: networking.k8s.io/v1\n  kind: Ingress\n  metadata:\n    name: a\n"
      "    namespace: shop\n  spec:\n    ingressClassName: alb\n"
      "---\n"
      "# an empty document\n";
  Manifests m;
  ASSERT_TRUE(parse_manifest_text(yaml, "x.yaml", m).ok());
  ASSERT_EQ(m.ingresses.size(), 1u);
  EXPECT_EQ(m.ingresses[0].key(), "shop/a");
  ASSERT_EQ(m.services.size(), 1u);
  EXPECT_EQ(m.services[0].ports[0].port, 80);
  EXPECT_EQ(m.services[0].ports[0].name, "http");
}

// yaml-cpp's LoadAll never returns on a stray ',' (fuzzer finding); documents are split first.
TEST(Manifest, DocumentsSplitAtMarkersKeepLineNumbersAndStrayGarbageIsRefused) {
  Manifests m;
  auto stray = parse_manifest_text(",", "x.yaml", m);
  ASSERT_FALSE(stray.ok());
  EXPECT_NE(stray.error().message.find("x.yaml:1: invalid YAML"), std::string::npos)
      << stray.error().message;
  const std::string yaml =
      "%YAML 1.2\n---\n# comment\n---\n---\napiVersion: networking.k8s.io/v1\nkind: Ingress\n"
      "metadata:\n  name: a\n...\napiVersion: networking.k8s.io/v1\nkind: Ingress\n"
      "metadata:\n  name: b\nspec:\n  rules: 7\n";
  auto r = parse_manifest_text(yaml, "y.yaml", m);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("y.yaml:16: spec.rules must be a list"), std::string::npos)
      << r.error().message;
  ASSERT_EQ(m.ingresses.size(), 1u);
  EXPECT_EQ(m.ingresses[0].name, "a");
}

TEST(Manifest, MissingFileIsAnError) {
  auto r = load_manifest_files({"/nonexistent/ingress.yaml"});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("/nonexistent/ingress.yaml"), std::string::npos);
}

TEST(Manifest, SeedIngressLoadsUnchanged) {
  auto m = load_manifest_files({testing::source_path("tests/data/ingress/seed-ingress.yaml")});
  ASSERT_TRUE(m.ok()) << m.error().message;
  ASSERT_EQ(m->ingresses.size(), 1u);
  EXPECT_EQ(m->ingresses[0].name, "mythical-mysfits-eks");
  EXPECT_EQ(m->ingresses[0].annotations.at("alb.ingress.kubernetes.io/scheme"), "internet-facing");
  auto lbs = build_load_balancers(m.value());
  ASSERT_TRUE(lbs.ok());
  EXPECT_EQ(lbs->front().scheme, "internet-facing");
}

}  // namespace
}  // namespace mysfits::ingress
