#include "services/monolith/mysfit_api.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <map>
#include <optional>

namespace mysfits::monolith {
namespace {

namespace json = boost::json;

// An in-memory Store that counts calls, so a test can assert that bad input never reached it,
// and can be told to fail like a broken backend.
class FakeStore : public store::Store {
 public:
  FakeStore() {
    for (const auto& m : store::catalog())
      rows[m.id] = m;
  }
  void list(std::optional<store::Filter> filter,
            store::Callback<std::vector<store::Mysfit>> done) override {
    ++calls;
    last_filter = filter;
    if (fail)
      return done(*fail);
    std::vector<store::Mysfit> out;
    for (const auto& [id, m] : rows)
      out.push_back(m);
    done(std::move(out));
  }
  void get(const std::string& id, store::Callback<store::Mysfit> done) override {
    ++calls;
    if (fail)
      return done(*fail);
    auto it = rows.find(id);
    if (it == rows.end())
      return done(core::Error{core::Errc::kNotFound, "no mysfit with id " + id});
    done(it->second);
  }
  void like(const std::string& id, store::Callback<std::int64_t> done) override {
    ++calls;
    if (fail)
      return done(*fail);
    auto it = rows.find(id);
    if (it == rows.end())
      return done(core::Error{core::Errc::kNotFound, "no mysfit with id " + id});
    done(++it->second.likes);
  }
  void adopt(const std::string& id, store::Callback<core::Unit> done) override {
    ++calls;
    if (fail)
      return done(*fail);
    auto it = rows.find(id);
    if (it == rows.end())
      return done(core::Error{core::Errc::kNotFound, "no mysfit with id " + id});
    if (it->second.adopted)
      return done(core::Error{core::Errc::kConflict, "already adopted"});
    it->second.adopted = true;
    done(core::Unit{});
  }
  void ping(store::Callback<core::Unit> done) override { done(core::Unit{}); }

  std::map<std::string, store::Mysfit> rows;
  int calls = 0;
  std::optional<store::Filter> last_filter;
  std::optional<core::Error> fail;
};

class CaptureSink : public core::Responder::Sink {
 public:
  explicit CaptureSink(std::optional<core::Response>& out) : out_(out) {}
  void complete(core::Response response) override { out_ = std::move(response); }

 private:
  std::optional<core::Response>& out_;
};

class MysfitApiTest : public ::testing::Test {
 protected:
  MysfitApiTest() : api_(store_, steps()) {}

  BusinessSteps steps() {
    BusinessSteps s;
    s.like = [this](const split::StepContext& c) {
      like_steps_.push_back(std::string(c.mysfit_id) + "/" + std::string(c.request_id));
    };
    s.adopt = [this](const split::StepContext& c) {
      adopt_steps_.push_back(std::string(c.mysfit_id));
    };
    return s;
  }

  using Handler = void (MysfitApi::*)(const core::Request&, core::Responder);

  // Calls a handler as the router would, with the {id} parameter when given.
  core::Response call(Handler handler, const std::string& target,
                      std::optional<std::string> id = std::nullopt) {
    target_ = target;
    id_ = id.value_or("");
    core::Request request(nullptr, "GET", target_, "", "127.0.0.1", "req-7");
    if (id)
      request.set_params({id_});
    std::optional<core::Response> out;
    (api_.*handler)(request, core::Responder(std::make_unique<CaptureSink>(out)));
    EXPECT_TRUE(out.has_value());
    return out.value_or(core::Response{});
  }

  static json::object body(const core::Response& r) { return json::parse(r.body).as_object(); }

  const std::string& some_id() const { return store::catalog().front().id; }

  FakeStore store_;
  std::vector<std::string> like_steps_;
  std::vector<std::string> adopt_steps_;
  MysfitApi api_;
  std::string target_;
  std::string id_;
};

TEST_F(MysfitApiTest, ListReturnsSummaries) {
  auto r = call(&MysfitApi::list, "/mysfits");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "application/json");
  EXPECT_EQ(body(r).at("mysfits").as_array().size(), 12u);
  EXPECT_FALSE(store_.last_filter.has_value());
}

TEST_F(MysfitApiTest, ListPassesTheFilterToTheStore) {
  auto r = call(&MysfitApi::list, "/mysfits?filter=LawChaos&value=Lawful");
  EXPECT_EQ(r.status, 200);
  ASSERT_TRUE(store_.last_filter.has_value());
  EXPECT_EQ(store_.last_filter->field, store::FilterField::kLawChaos);
  EXPECT_EQ(store_.last_filter->value, "Lawful");
}

TEST_F(MysfitApiTest, BadFilterIs400AndNeverReachesTheStore) {
  auto r = call(&MysfitApi::list, "/mysfits?filter=Species&value=Yeti");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(body(r).at("error").as_string(), "bad_request");
  EXPECT_EQ(store_.calls, 0);
}

TEST_F(MysfitApiTest, GetReturnsTheProfile) {
  auto r = call(&MysfitApi::get, "/mysfits/" + some_id(), some_id());
  EXPECT_EQ(r.status, 200);
  auto o = body(r);
  EXPECT_EQ(o.at("mysfitId").as_string(), some_id());
  EXPECT_TRUE(o.at("likes").is_int64());
  EXPECT_TRUE(o.at("adopted").is_bool());
}

TEST_F(MysfitApiTest, UnknownIdIs404WithAnErrorBody) {
  for (Handler h : {&MysfitApi::get, &MysfitApi::like, &MysfitApi::adopt, &MysfitApi::fulfill_like,
                    &MysfitApi::fulfill_adopt}) {
    auto r = call(h, "/mysfits/unknown", "unknown");
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(body(r).at("error").as_string(), "not_found");
  }
}

TEST_F(MysfitApiTest, InvalidIdIs400AndNothingRunsNorChanges) {
  for (const std::string& id :
       {std::string("a_b"), std::string(65, 'a'), std::string("a%20b"), std::string("\xff\xfe")}) {
    for (Handler h : {&MysfitApi::get, &MysfitApi::like, &MysfitApi::adopt,
                      &MysfitApi::fulfill_like, &MysfitApi::fulfill_adopt}) {
      auto r = call(h, "/mysfits/x", id);
      EXPECT_EQ(r.status, 400);
      EXPECT_EQ(body(r).at("error").as_string(), "bad_request");
    }
  }
  EXPECT_EQ(store_.calls, 0);
  EXPECT_TRUE(like_steps_.empty());
  EXPECT_TRUE(adopt_steps_.empty());
}

TEST_F(MysfitApiTest, LikeRunsTheBusinessStepThenPersists) {
  auto r = call(&MysfitApi::like, "/mysfits/x/like", some_id());
  EXPECT_EQ(r.status, 200);
  auto o = body(r);
  EXPECT_EQ(o.at("Update").as_string(), "Success");
  EXPECT_EQ(o.at("likes").as_int64(), 1);
  ASSERT_EQ(like_steps_.size(), 1u);
  EXPECT_EQ(like_steps_[0], some_id() + "/req-7");
}

TEST_F(MysfitApiTest, FulfillLikePersistsWithoutTheBusinessStep) {
  call(&MysfitApi::like, "/mysfits/x/like", some_id());
  auto r = call(&MysfitApi::fulfill_like, "/mysfits/x/fulfill-like", some_id());
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(body(r).at("likes").as_int64(), 2);
  EXPECT_EQ(like_steps_.size(), 1u);
}

TEST_F(MysfitApiTest, AdoptOnceThen409) {
  auto first = call(&MysfitApi::adopt, "/mysfits/x/adopt", some_id());
  EXPECT_EQ(first.status, 200);
  EXPECT_EQ(body(first).at("Update").as_string(), "Success");
  EXPECT_EQ(body(first).at("adopted").as_bool(), true);
  auto again = call(&MysfitApi::fulfill_adopt, "/mysfits/x/fulfill-adopt", some_id());
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(body(again).at("error").as_string(), "conflict");
  EXPECT_EQ(adopt_steps_.size(), 1u);  // fulfill-adopt runs no step
}

TEST_F(MysfitApiTest, StoreFailureIs5xxWithTheRequestIdAndNoInternals) {
  store_.fail = core::Error{core::Errc::kUnavailable, "sqlite: database is locked"};
  auto r = call(&MysfitApi::get, "/mysfits/x", some_id());
  EXPECT_EQ(r.status, 503);
  auto message = std::string(body(r).at("message").as_string());
  EXPECT_NE(message.find("req-7"), std::string::npos);
  EXPECT_EQ(message.find("sqlite"), std::string::npos);
}

TEST_F(MysfitApiTest, RoutesCoverTheDocumentedApi) {
  core::Router router;
  api_.add_routes(router);
  using Kind = core::Router::Match::Kind;
  EXPECT_EQ(router.match("GET", "/mysfits").kind, Kind::kFound);
  EXPECT_EQ(router.match("GET", "/mysfits/abc").kind, Kind::kFound);
  for (const char* action : {"like", "adopt", "fulfill-like", "fulfill-adopt"}) {
    EXPECT_EQ(router.match("POST", std::string("/mysfits/abc/") + action).kind, Kind::kFound);
    auto wrong = router.match("GET", std::string("/mysfits/abc/") + action);
    EXPECT_EQ(wrong.kind, Kind::kMethodNotAllowed);
    EXPECT_NE(wrong.allow.find("POST"), std::string::npos);
  }
  EXPECT_EQ(router.match("DELETE", "/mysfits/abc").kind, Kind::kMethodNotAllowed);
  EXPECT_EQ(router.match("GET", "/mysfits/abc/other").kind, Kind::kNotFound);
}

}  // namespace
}  // namespace mysfits::monolith
