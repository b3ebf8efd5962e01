// The gateway's status page on its admin port: the website's look (its own stylesheet and logo,
// compiled in), a strict Content Security Policy with nothing inline, a script that refreshes
// it, and a weighted forward shown with each target group's weight and share.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "gateway_harness.hpp"

namespace mysfits::testing::gateway {
namespace {

constexpr const char* kPolicy =
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'";

std::string source_file(const std::string& relative) {
  std::ifstream in(source_path(relative), std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// /* split 90/10 between two Services (the shape of a canary step), as the Load Balancer
// Controller reads it from an actions annotation.
std::string weighted_ingress() {
  return R"(apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: split
  annotations:
    kubernetes.io/ingress.class: alb
    alb.ingress.kubernetes.io/actions.canary: >
      {"type":"forward","forwardConfig":{"targetGroups":[
        {"serviceName":"stable","servicePort":"80","weight":90},
        {"serviceName":"canary","servicePort":"80","weight":10}]}}
spec:
  rules:
    - http:
        paths:
          - path: /*
            pathType: ImplementationSpecific
            backend:
              service:
                name: canary
                port:
                  name: use-annotation
)";
}

TEST(GatewayStatusPage, WearsTheWebsitesLookUnderAStrictPolicyWithNothingInline) {
  const auto port = free_port();
  auto fake = start_fake(port, "app");
  auto gw = start_gateway({"--ingress", write_file("status-look.yaml", app_ingress()), "--upstream",
                           "app:80=127.0.0.1:" + std::to_string(port)});

  auto page = http(gw.admin_port, "GET", "/status");
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(page.header("content-type"), "text/html; charset=utf-8");
  EXPECT_EQ(page.header("content-security-policy"), kPolicy);
  EXPECT_EQ(page.body.find("<style"), std::string::npos) << "no inline style";
  EXPECT_EQ(page.body.find(" style="), std::string::npos) << "no style attribute";
  EXPECT_EQ(page.body.find("<script>"), std::string::npos) << "no inline script";
  for (const char* link : {"href=\"/status/site.css\"", "href=\"/status/status.css\"",
                           "src=\"/status/status.js\"", "class=\"masthead\""}) {
    EXPECT_NE(page.body.find(link), std::string::npos) << link;
  }

  // The website's own files, byte for byte, whatever directory the gateway runs in.
  auto css = http(gw.admin_port, "GET", "/status/site.css");
  EXPECT_EQ(css.status, 200);
  EXPECT_EQ(css.header("content-type"), "text/css; charset=utf-8");
  EXPECT_EQ(css.body, source_file("web/css/site.css"));
  auto logo = http(gw.admin_port, "GET", "/status/logo.svg");
  EXPECT_EQ(logo.header("content-type"), "image/svg+xml");
  EXPECT_EQ(logo.body, source_file("web/images/favicon.svg"));
  auto script = http(gw.admin_port, "GET", "/status/status.js");
  EXPECT_EQ(script.header("content-type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(script.body, source_file("services/gateway/status/status.js"));
  EXPECT_EQ(http(gw.admin_port, "GET", "/status/status.css").body,
            source_file("services/gateway/status/status.css"));
  EXPECT_EQ(http(gw.admin_port, "GET", "/status/other.css").status, 404);
  EXPECT_NE(http(gw.port, "GET", "/status/site.css").body, css.body)
      << "the public listener routes by the Ingress only";
}

TEST(GatewayStatusPage, ShowsEachTargetGroupOfAWeightedForwardWithItsWeightAndShare) {
  const auto stable_port = free_port();
  const auto canary_port = free_port();
  auto stable = start_fake(stable_port, "stable");
  auto canary = start_fake(canary_port, "canary");
  auto gw = start_gateway({"--ingress", write_file("status-weights.yaml", weighted_ingress()),
                           "--upstream", "stable:80=127.0.0.1:" + std::to_string(stable_port),
                           "--upstream", "canary:80=127.0.0.1:" + std::to_string(canary_port)});

  auto page = http(gw.admin_port, "GET", "/status");
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("<li><code>stable:80</code> weight 90 (90%)</li>"), std::string::npos)
      << page.body;
  EXPECT_NE(page.body.find("<li><code>canary:80</code> weight 10 (10%)</li>"), std::string::npos)
      << page.body;

  const auto status = gw.status();
  const auto& legs =
      status.at("listener").at("rules").at(0).at("action").at("targetGroups").as_array();
  ASSERT_EQ(legs.size(), 2u);
  EXPECT_EQ(legs[0].at("serviceName").as_string(), "stable");
  EXPECT_EQ(legs[0].at("weight").as_int64(), 90);
  EXPECT_EQ(legs[1].at("weight").as_int64(), 10);
  EXPECT_EQ(status.at("listener").at("rules").at(0).at("conditions").at(0).at("summary"),
            "path-pattern /*");
}

}  // namespace
}  // namespace mysfits::testing::gateway
