// Every monolith route (docs/api.md) against the real executable: exact field names and
// types, the stable list order, filters, likes and adoptions, probes, CORS, request ids and the
// admin port's metrics.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "integration/monolith/monolith_server.hpp"
#include "store/mysfit.hpp"

namespace mysfits::testing {
namespace {

namespace json = boost::json;

const std::vector<std::string> kSummaryKeys = {"goodevil", "lawchaos", "mysfitId",
                                               "name",     "species",  "thumbImageUri"};
const std::vector<std::string> kProfileKeys = {
    "adopted",  "age",  "description",     "goodevil", "lawchaos",     "likes",
    "mysfitId", "name", "profileImageUri", "species",  "thumbImageUri"};

class MonolithRoutes : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new MonolithServer();
    ASSERT_TRUE(server_->start()) << server_->log();
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  void TearDown() override {
    if (HasFailure())
      std::cerr << "--- monolith log ---\n" << server_->log();
  }

  // GET target, which must answer 200 with JSON; the parsed body.
  static json::value get_json(const std::string& target) {
    auto r = server_->get(target);
    EXPECT_EQ(r.status, 200) << target << ": " << r.body;
    EXPECT_EQ(r.header("content-type"), "application/json") << target;
    return parse_json(r.body);
  }

  // The "mysfits" array of a list response.
  static json::array list(const std::string& target) {
    auto body = get_json(target);
    EXPECT_EQ(keys_of(body), std::vector<std::string>{"mysfits"}) << target;
    const auto* items = body.is_object() ? body.as_object().if_contains("mysfits") : nullptr;
    return items != nullptr && items->is_array() ? items->as_array() : json::array();
  }

  static std::vector<std::string> ids_of(const json::array& items) {
    std::vector<std::string> ids;
    for (const auto& item : items)
      ids.emplace_back(item.at("mysfitId").as_string());
    return ids;
  }

  static const store::Mysfit& in_catalog(std::string_view id) {
    const auto& c = store::catalog();
    auto it = std::find_if(c.begin(), c.end(), [&](const auto& m) { return m.id == id; });
    EXPECT_NE(it, c.end()) << id;
    return it == c.end() ? c.front() : *it;
  }

  static MonolithServer* server_;
};

MonolithServer* MonolithRoutes::server_ = nullptr;

// Adoption changes data; these ids are adopted by their own tests only.
const std::string& adopt_target() {
  return store::catalog().at(10).id;
}
const std::string& fulfill_adopt_target() {
  return store::catalog().at(11).id;
}

TEST_F(MonolithRoutes, RootIsAHealthCheckWithAMessage) {
  auto body = get_json("/");
  ASSERT_EQ(keys_of(body), std::vector<std::string>{"message"});
  EXPECT_TRUE(body.at("message").is_string());
}

TEST_F(MonolithRoutes, ProbesAnswer200WhenServing) {
  EXPECT_EQ(server_->get("/healthz").status, 200);
  EXPECT_EQ(server_->get("/readyz").status, 200);
}

TEST_F(MonolithRoutes, ListHasEveryCatalogMysfitAsASummaryOfStrings) {
  auto items = list("/mysfits");
  ASSERT_EQ(items.size(), store::catalog().size());
  for (const auto& item : items) {
    ASSERT_EQ(keys_of(item), kSummaryKeys) << json::serialize(item);
    for (const auto& kv : item.as_object())
      EXPECT_TRUE(kv.value().is_string()) << kv.key();
    const auto& m = in_catalog(item.at("mysfitId").as_string());
    EXPECT_EQ(item.at("name").as_string(), m.name);
    EXPECT_EQ(item.at("species").as_string(), m.species);
    EXPECT_EQ(item.at("goodevil").as_string(), m.good_evil);
    EXPECT_EQ(item.at("lawchaos").as_string(), m.law_chaos);
    EXPECT_EQ(item.at("thumbImageUri").as_string(), m.thumb_image_uri);
  }
  auto ids = ids_of(items);
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), ids.size()) << "duplicates";
}

TEST_F(MonolithRoutes, ListOrderIsByNameThenIdAndStable) {
  auto first = list("/mysfits");
  std::vector<store::Mysfit> expected = store::catalog();
  store::sort_for_listing(expected);
  std::vector<std::string> expected_ids;
  for (const auto& m : expected)
    expected_ids.push_back(m.id);
  EXPECT_EQ(ids_of(first), expected_ids);
  ASSERT_EQ(server_->post("/mysfits/" + expected_ids.back() + "/like").status, 200);
  EXPECT_EQ(ids_of(list("/mysfits")), expected_ids) << "a like must not reorder the list";
}

TEST_F(MonolithRoutes, EachFilterReturnsExactlyItsMysfitsInListOrder) {
  auto all = ids_of(list("/mysfits"));
  struct Case {
    std::string filter;
    std::string value;
    std::string store::Mysfit::*field;
  };
  const Case cases[] = {
      {"GoodEvil", "Good", &store::Mysfit::good_evil},
      {"GoodEvil", "Neutral", &store::Mysfit::good_evil},
      {"GoodEvil", "Evil", &store::Mysfit::good_evil},
      {"LawChaos", "Lawful", &store::Mysfit::law_chaos},
      {"LawChaos", "Neutral", &store::Mysfit::law_chaos},
      {"LawChaos", "Chaotic", &store::Mysfit::law_chaos},
  };
  for (const auto& c : cases) {
    std::vector<std::string> expected;
    for (const auto& id : all) {
      if (in_catalog(id).*c.field == c.value)
        expected.push_back(id);
    }
    ASSERT_FALSE(expected.empty()) << c.value;
    auto items = list("/mysfits?filter=" + c.filter + "&value=" + c.value);
    EXPECT_EQ(ids_of(items), expected) << c.filter << "=" << c.value;
    for (const auto& item : items)
      EXPECT_EQ(keys_of(item), kSummaryKeys);
  }
}

TEST_F(MonolithRoutes, FilterValueMatchingNothingIsAnEmptyList) {
  EXPECT_TRUE(list("/mysfits?filter=GoodEvil&value=Lawful").empty());
  EXPECT_EQ(list("/mysfits?value=Evil&filter=GoodEvil&_=1700000000").size(),
            list("/mysfits?filter=GoodEvil&value=Evil").size())
      << "parameter order and unknown parameters (cache busters) do not matter";
}

TEST_F(MonolithRoutes, ProfileIsTheSummaryPlusDetailsWithTheirTypes) {
  for (const auto& m : store::catalog()) {
    auto p = get_json("/mysfits/" + m.id);
    ASSERT_EQ(keys_of(p), kProfileKeys) << json::serialize(p);
    EXPECT_EQ(p.at("mysfitId").as_string(), m.id);
    EXPECT_EQ(p.at("name").as_string(), m.name);
    EXPECT_EQ(p.at("species").as_string(), m.species);
    EXPECT_EQ(p.at("goodevil").as_string(), m.good_evil);
    EXPECT_EQ(p.at("lawchaos").as_string(), m.law_chaos);
    EXPECT_EQ(p.at("thumbImageUri").as_string(), m.thumb_image_uri);
    EXPECT_EQ(p.at("profileImageUri").as_string(), m.profile_image_uri);
    ASSERT_TRUE(p.at("description").is_string());
    EXPECT_FALSE(p.at("description").as_string().empty());
    ASSERT_TRUE(p.at("age").is_int64()) << json::serialize(p.at("age"));
    EXPECT_EQ(p.at("age").as_int64(), m.age);
    EXPECT_TRUE(p.at("likes").is_int64());
    EXPECT_TRUE(p.at("adopted").is_bool());
  }
}

TEST_F(MonolithRoutes, LikeAndFulfillLikeCountOneEachAndReturnTheCount) {
  const std::string id = store::catalog().at(0).id;
  std::int64_t before = server_->likes(id);
  ASSERT_GE(before, 0);
  for (const char* route : {"/like", "/fulfill-like"}) {
    auto r = server_->post("/mysfits/" + id + route);
    ASSERT_EQ(r.status, 200) << route << ": " << r.body;
    auto body = parse_json(r.body);
    ASSERT_EQ(keys_of(body), (std::vector<std::string>{"Update", "likes"})) << r.body;
    EXPECT_EQ(body.at("Update").as_string(), "Success");
    ASSERT_TRUE(body.at("likes").is_int64());
    EXPECT_EQ(body.at("likes").as_int64(), ++before) << route;
  }
  EXPECT_EQ(server_->likes(id), before);
}

// Both adopt routes: the first call adopts, the second is 409 with an error body.
void expect_adopts_once(const MonolithServer& server, const std::string& id,
                        const std::string& route) {
  auto first = server.post("/mysfits/" + id + route);
  ASSERT_EQ(first.status, 200) << first.body;
  auto body = parse_json(first.body);
  ASSERT_EQ(keys_of(body), (std::vector<std::string>{"Update", "adopted"})) << first.body;
  EXPECT_EQ(body.at("Update").as_string(), "Success");
  EXPECT_EQ(body.at("adopted"), json::value(true));
  auto profile = parse_json(server.get("/mysfits/" + id).body);
  EXPECT_EQ(profile.at("adopted"), json::value(true));

  for (const char* again : {"/adopt", "/fulfill-adopt"}) {
    auto second = server.post("/mysfits/" + id + again);
    EXPECT_EQ(second.status, 409) << again;
    EXPECT_EQ(keys_of(parse_json(second.body)), (std::vector<std::string>{"error", "message"}));
  }
}

TEST_F(MonolithRoutes, AdoptOnceThenConflict) {
  expect_adopts_once(*server_, adopt_target(), "/adopt");
}

TEST_F(MonolithRoutes, FulfillAdoptOnceThenConflict) {
  expect_adopts_once(*server_, fulfill_adopt_target(), "/fulfill-adopt");
}

TEST_F(MonolithRoutes, EveryResponseCarriesCorsIncludingErrors) {
  for (const auto& [method, target] : std::vector<std::pair<std::string, std::string>>{
           {"GET", "/mysfits"}, {"GET", "/nope"}, {"DELETE", "/mysfits"}, {"GET", "/mysfits/x!"}}) {
    auto r = http(server_->port(), method, target);
    EXPECT_EQ(r.header("access-control-allow-origin"), "*") << method << " " << target;
  }
}

TEST_F(MonolithRoutes, PreflightIs204WithTheRoutesMethods) {
  const std::string id = store::catalog().at(0).id;
  std::int64_t before = server_->likes(id);
  auto r = http(server_->port(), "OPTIONS", "/mysfits/" + id + "/like", "",
                {{"Origin", "http://127.0.0.1:8000"},
                 {"Access-Control-Request-Method", "POST"},
                 {"Access-Control-Request-Headers", "content-type"}});
  EXPECT_EQ(r.status, 204);
  EXPECT_TRUE(r.body.empty());
  EXPECT_EQ(r.header("access-control-allow-origin"), "*");
  EXPECT_NE(r.header("access-control-allow-methods").find("POST"), std::string::npos);
  EXPECT_NE(r.header("access-control-allow-headers").find("content-type"), std::string::npos);
  EXPECT_EQ(server_->likes(id), before) << "a preflight must not like";
}

TEST_F(MonolithRoutes, RequestIdIsKeptWhenValidAndMadeOtherwise) {
  auto kept = server_->get("/mysfits", {{"X-Request-Id", "trace-abc-123"}});
  EXPECT_EQ(kept.header("x-request-id"), "trace-abc-123");
  auto made1 = server_->get("/");
  auto made2 = server_->get("/");
  EXPECT_FALSE(made1.header("x-request-id").empty());
  EXPECT_NE(made1.header("x-request-id"), made2.header("x-request-id"));
  auto replaced = server_->get("/", {{"X-Request-Id", "bad id with spaces"}});
  EXPECT_FALSE(replaced.header("x-request-id").empty());
  EXPECT_NE(replaced.header("x-request-id"), "bad id with spaces");
}

// The count of one series line of /metrics, 0 when it is absent.
long metric(const std::string& metrics, const std::string& series) {
  auto at = metrics.find(series + " ");
  return at == std::string::npos ? 0 : std::stol(metrics.substr(at + series.size() + 1));
}

TEST_F(MonolithRoutes, MetricsOnTheAdminPortCountRoutesAndStatusesWithAHistogram) {
  const std::string id = store::catalog().at(1).id;
  const std::string ok = R"(mysfits_http_requests_total{service="mysfits-monolith",)"
                         R"(route="GET /mysfits/{id}",status="200"})";
  const std::string missing = R"(mysfits_http_requests_total{service="mysfits-monolith",)"
                              R"(route="GET /mysfits/{id}",status="404"})";
  const std::string count = R"(mysfits_http_request_duration_seconds_count{)"
                            R"(service="mysfits-monolith",route="GET /mysfits/{id}"})";
  auto before = http(server_->admin_port(), "GET", "/metrics");
  ASSERT_EQ(before.status, 200);
  EXPECT_EQ(before.header("content-type").rfind("text/plain", 0), 0u);
  for (int i = 0; i < 3; ++i)
    ASSERT_EQ(server_->get("/mysfits/" + id).status, 200);
  ASSERT_EQ(server_->get("/mysfits/no-such-mysfit").status, 404);
  auto after = http(server_->admin_port(), "GET", "/metrics").body;
  EXPECT_EQ(metric(after, ok), metric(before.body, ok) + 3) << after;
  EXPECT_EQ(metric(after, missing), metric(before.body, missing) + 1);
  EXPECT_EQ(metric(after, count), metric(before.body, count) + 4);
  EXPECT_NE(after.find(R"(mysfits_http_request_duration_seconds_bucket{service="mysfits-monolith",)"
                       R"(route="GET /mysfits/{id}",le="+Inf"})"),
            std::string::npos);
  EXPECT_EQ(server_->get("/metrics").status, 404) << "metrics are not public";
}

}  // namespace
}  // namespace mysfits::testing
