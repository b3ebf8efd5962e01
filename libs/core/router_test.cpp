#include "core/router.hpp"

#include <gtest/gtest.h>

namespace mysfits::core {
namespace {

Router make_router() {
  Router r;
  r.get("/", [](const Request&) { return Response::json(200, "{}"); });
  r.get("/mysfits", [](const Request&) { return Response::json(200, "{}"); });
  r.get("/mysfits/{id}", [](const Request&) { return Response::json(200, "{}"); });
  r.post("/mysfits/{id}/like", [](const Request&) { return Response::json(200, "{}"); });
  r.post("/mysfits/{id}/adopt", [](const Request&, Responder) {});
  return r;
}

TEST(Router, MatchesStaticPath) {
  auto r = make_router();
  auto m = r.match("GET", "/mysfits");
  ASSERT_EQ(m.kind, Router::Match::Kind::kFound);
  EXPECT_EQ(m.route->label, "GET /mysfits");
  EXPECT_TRUE(m.params.empty());
}

TEST(Router, CapturesParameterSegments) {
  auto r = make_router();
  auto m = r.match("POST", "/mysfits/abc-1/like");
  ASSERT_EQ(m.kind, Router::Match::Kind::kFound);
  ASSERT_EQ(m.params.size(), 1u);
  EXPECT_EQ(m.params[0], "abc-1");
  EXPECT_TRUE(static_cast<bool>(m.route->sync));
}

TEST(Router, AsyncRouteKeepsAsyncHandler) {
  auto r = make_router();
  auto m = r.match("POST", "/mysfits/x/adopt");
  ASSERT_EQ(m.kind, Router::Match::Kind::kFound);
  EXPECT_TRUE(static_cast<bool>(m.route->async));
  EXPECT_FALSE(static_cast<bool>(m.route->sync));
}

TEST(Router, WrongMethodOnKnownPathIsMethodNotAllowedWithAllow) {
  auto r = make_router();
  auto m = r.match("DELETE", "/mysfits/abc");
  EXPECT_EQ(m.kind, Router::Match::Kind::kMethodNotAllowed);
  EXPECT_EQ(m.allow, "GET, HEAD, OPTIONS");
  auto post_only = r.match("GET", "/mysfits/abc/like");
  EXPECT_EQ(post_only.kind, Router::Match::Kind::kMethodNotAllowed);
  EXPECT_EQ(post_only.allow, "POST, OPTIONS");
}

TEST(Router, HeadIsServedByGetRoute) {
  auto r = make_router();
  auto m = r.match("HEAD", "/mysfits");
  ASSERT_EQ(m.kind, Router::Match::Kind::kFound);
  EXPECT_EQ(m.route->method, "GET");
}

TEST(Router, UnknownPathsAreNotFound) {
  auto r = make_router();
  for (const char* p : {"/nope", "/mysfits/", "/mysfits//like", "/mysfits/a/like/x", "", "mysfits",
                        "/mysfits/a/b"}) {
    EXPECT_EQ(r.match("GET", p).kind, Router::Match::Kind::kNotFound) << p;
  }
}

TEST(Router, EmptyParameterSegmentDoesNotMatch) {
  auto r = make_router();
  EXPECT_EQ(r.match("POST", "/mysfits//like").kind, Router::Match::Kind::kNotFound);
}

TEST(Router, RootMatchesOnlyRoot) {
  auto r = make_router();
  EXPECT_EQ(r.match("GET", "/").kind, Router::Match::Kind::kFound);
  EXPECT_EQ(r.match("GET", "//").kind, Router::Match::Kind::kNotFound);
}

TEST(Responder, DroppedWithoutSendAnswers500) {
  struct Capture : Responder::Sink {
    int* status;
    explicit Capture(int* s) : status(s) {}
    void complete(Response r) override { *status = r.status; }
  };
  int status = 0;
  { Responder r(std::make_unique<Capture>(&status)); }
  EXPECT_EQ(status, 500);
}

TEST(Responder, SendsExactlyOnce) {
  struct Count : Responder::Sink {
    int* n;
    explicit Count(int* c) : n(c) {}
    void complete(Response) override { ++*n; }
  };
  int n = 0;
  {
    Responder r(std::make_unique<Count>(&n));
    r.send(Response::json(200, "{}"));
    r.send(Response::json(200, "{}"));
  }
  EXPECT_EQ(n, 1);
}

}  // namespace
}  // namespace mysfits::core
