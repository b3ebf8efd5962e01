#include "services/gateway/alb_responses.hpp"

#include <gtest/gtest.h>

namespace mysfits::gateway {
namespace {

RedirectRequest request() {
  RedirectRequest r;
  r.host = "example.com";
  r.port = 8080;
  r.path = "/a/b";
  r.query = "x=1";
  return r;
}

TEST(AlbResponses, RedirectKeepsOmittedParts) {
  ingress::Redirect redirect;
  EXPECT_EQ(redirect_location(redirect, request()), "http://example.com:8080/a/b?x=1");
}

TEST(AlbResponses, RedirectToHttpsDropsTheDefaultPort) {
  ingress::Redirect redirect;
  redirect.protocol = "HTTPS";
  redirect.port = "443";
  EXPECT_EQ(redirect_location(redirect, request()), "https://example.com/a/b?x=1");
}

TEST(AlbResponses, RedirectPlaceholders) {
  ingress::Redirect redirect;
  redirect.host = "new.#{host}";
  redirect.path = "/v2/#{path}";
  redirect.query = "#{query}&moved=1";
  redirect.port = "#{port}";
  EXPECT_EQ(redirect_location(redirect, request()),
            "http://new.example.com:8080/v2/a/b?x=1&moved=1");
}

TEST(AlbResponses, GeneratedAnswersCarryTheAlbServerHeader) {
  for (const auto& r : {alb_error(503), fixed_response({404, "application/json", "{}"})}) {
    ASSERT_FALSE(r.headers.empty());
    EXPECT_EQ(r.headers.front().first, "Server");
    EXPECT_EQ(r.headers.front().second, "awselb/2.0");
  }
  EXPECT_NE(alb_error(502).body.find("502 Bad Gateway"), std::string::npos);
}

}  // namespace
}  // namespace mysfits::gateway
