#include "cli/status_view.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace mysfits::cli {
namespace {

namespace json = boost::json;

// A gateway's /status.json in the documented shape: a fixed 404, a canary-style weighted rule
// and the catch-all; two target groups, one with a draining target.
json::object gateway_status() {
  return json::parse(R"({
    "load_balancer": "default/mythical-mysfits-eks", "generation": 3, "loaded_at": 1,
    "last_reload_error": "", "warnings": [],
    "listener": {"port": 80, "protocol": "HTTP",
      "rules": [
        {"priority": 2, "origin": "o",
         "conditions": [{"field": "path-pattern", "summary": "path-pattern /mysfits/*/like",
                         "values": ["/mysfits/*/like"]},
                        {"field": "http-request-method", "summary": "http-request-method POST",
                         "values": ["POST"]}],
         "action": {"type": "forward", "summary": "x", "targetGroups": [
           {"targetGroup": "tg-like", "serviceName": "mythical-mysfits-like",
            "servicePort": "80", "weight": 90},
           {"targetGroup": "tg-nolike", "serviceName": "mythical-mysfits-nolike",
            "servicePort": "80", "weight": 10}]}},
        {"priority": 1, "origin": "o",
         "conditions": [{"field": "path-pattern", "summary": "path-pattern /mysfits/*/fulfill-like",
                         "values": ["/mysfits/*/fulfill-like"]}],
         "action": {"type": "fixed-response", "statusCode": 404, "summary": "fixed-response:404"}},
        {"priority": 3, "origin": "o",
         "conditions": [{"field": "path-pattern", "summary": "path-pattern /*", "values": ["/*"]}],
         "action": {"type": "forward", "summary": "y", "targetGroups": [
           {"targetGroup": "tg-nolike", "serviceName": "mythical-mysfits-nolike",
            "servicePort": "80", "weight": 1}]}}],
      "default": {"action": {"type": "fixed-response", "statusCode": 404}, "origin": "d"}},
    "target_groups": [
      {"id": "tg-like", "upstream": "mythical-mysfits-like:80", "failing_open": false,
       "targets": [{"address": "127.0.0.1:9002", "state": "healthy", "reason": "",
                    "in_flight": 2, "requests": 17}]},
      {"id": "tg-nolike", "upstream": "mythical-mysfits-nolike:80", "failing_open": true,
       "targets": [{"address": "127.0.0.1:9001", "state": "unhealthy",
                    "reason": "connection refused", "in_flight": 0, "requests": 40}]},
      {"id": "tg-adopt", "upstream": "mythical-mysfits-adopt:80", "failing_open": false,
       "targets": []}],
    "draining": [{"target_group": "tg-like", "address": "127.0.0.1:9012", "state": "draining",
                  "reason": "", "in_flight": 1, "requests": 5}]
  })")
      .as_object();
}

std::string rendered() {
  return render_status(status_document("like", "http://127.0.0.1:8080",
                                       "http://127.0.0.1:9999/status", gateway_status()));
}

TEST(StatusView, DocumentIsTheGatewayStatusWithTheStageAndAddressesFirst) {
  auto doc = status_document("like", "http://127.0.0.1:8080", "http://127.0.0.1:9999/status",
                             gateway_status());
  auto it = doc.begin();
  EXPECT_EQ(it++->key(), "stage");
  EXPECT_EQ(it++->key(), "gateway");
  EXPECT_EQ(it->key(), "status_page");
  EXPECT_EQ(doc.at("stage").as_string(), "like");
  EXPECT_EQ(doc.at("listener"), gateway_status().at("listener"));
  EXPECT_EQ(doc.at("target_groups"), gateway_status().at("target_groups"));
  EXPECT_EQ(doc.at("generation").as_int64(), 3);
}

TEST(StatusView, ShowsTheStageAndAddresses) {
  const std::string text = rendered();
  EXPECT_EQ(text.rfind("STAGE   GATEWAY                 STATUS PAGE", 0), 0u) << text;
  EXPECT_NE(text.find("\nlike    http://127.0.0.1:8080   http://127.0.0.1:9999/status   "
                      "default/mythical-mysfits-eks   3\n"),
            std::string::npos)
      << text;
}

TEST(StatusView, ListsRulesInPriorityOrderWithWeightsAndShares) {
  const std::string text = rendered();
  const auto first = text.find("\n1          path-pattern /mysfits/*/fulfill-like");
  const auto second = text.find(
      "\n2          path-pattern /mysfits/*/like AND "
      "http-request-method POST   forward              "
      "mythical-mysfits-like:80 weight 90 (90%), "
      "mythical-mysfits-nolike:80 weight 10 (10%)\n");
  const auto third = text.find("\n3          path-pattern /*");
  const auto fallback = text.find("\ndefault    (no rule matched)");
  EXPECT_NE(first, std::string::npos) << text;
  EXPECT_NE(second, std::string::npos) << text;
  EXPECT_LT(first, second);
  EXPECT_LT(second, third);
  EXPECT_LT(third, fallback);
  EXPECT_NE(text.find("fixed-response 404   -\n"), std::string::npos) << text;
  EXPECT_NE(text.find("mythical-mysfits-nolike:80 weight 1 (100%)\n"), std::string::npos) << text;
}

TEST(StatusView, ListsEveryTargetWithHealthInFlightAndRequests) {
  const std::string text = rendered();
  EXPECT_NE(text.find("TARGET GROUP                 TARGET           HEALTH      IN-FLIGHT   "
                      "REQUESTS   REASON\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("mythical-mysfits-like:80     127.0.0.1:9002   healthy     2           "
                      "17         -\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("mythical-mysfits-nolike:80   127.0.0.1:9001   unhealthy   0           "
                      "40         connection refused\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("mythical-mysfits-adopt:80    <none>"), std::string::npos) << text;
  EXPECT_NE(text.find("no registered targets"), std::string::npos) << text;
  EXPECT_NE(text.find("mythical-mysfits-like:80     127.0.0.1:9012   draining    1"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("mythical-mysfits-nolike:80: no target is healthy; failing open"),
            std::string::npos)
      << text;
}

TEST(StatusView, SaysWhenTheLastReloadWasRefused) {
  auto status = gateway_status();
  status["last_reload_error"] = "upstreams:1: bad line";
  auto text = render_status(status_document("like", "g", "s", status));
  EXPECT_NE(text.find("Last reload refused: upstreams:1: bad line"), std::string::npos) << text;
}

TEST(StatusView, ShowsMissingFieldsAsADashInsteadOfFailing) {
  auto text = render_status(status_document("monolith", "g", "s", json::object{}));
  EXPECT_NE(text.find("monolith   g         s             -               -\n"), std::string::npos)
      << text;
  EXPECT_NE(text.find("PRIORITY   CONDITIONS   ACTION   TARGET GROUPS\n"), std::string::npos)
      << text;
}

}  // namespace
}  // namespace mysfits::cli
