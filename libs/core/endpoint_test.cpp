// Endpoint::parse: the forms operators write in MONOLITH_URL and AWS_ENDPOINT_URL.
#include <gtest/gtest.h>

#include "core/http_client.hpp"

namespace mysfits::core {
namespace {

TEST(Endpoint, ParsesTheFormsOperatorsWrite) {
  auto bare = Endpoint::parse("monolith");
  ASSERT_TRUE(bare.ok());
  EXPECT_EQ(bare->to_string(), "http://monolith:80");
  EXPECT_EQ(bare->host_header(), "monolith");
  auto with_port = Endpoint::parse("127.0.0.1:8081");
  ASSERT_TRUE(with_port.ok());
  EXPECT_EQ(with_port->port, 8081);
  EXPECT_EQ(with_port->host_header(), "127.0.0.1:8081");
  auto url = Endpoint::parse("HTTP://mythical-mysfits-nolike.default.svc:80/ignored?x=1");
  ASSERT_TRUE(url.ok());
  EXPECT_EQ(url->host, "mythical-mysfits-nolike.default.svc");
  auto tls = Endpoint::parse("https://dynamodb.us-east-1.amazonaws.com");
  ASSERT_TRUE(tls.ok());
  EXPECT_TRUE(tls->tls());
  EXPECT_EQ(tls->port, 443);
  auto v6 = Endpoint::parse("http://[::1]:9000");
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->host_header(), "[::1]:9000");
}

TEST(Endpoint, RejectsMalformedInput) {
  for (const char* bad : {"", "http://", "ftp://host", "host:", "host:0", "host:65536", "host:80x",
                          "host name", "user@host", "[::1", ":8080"}) {
    auto parsed = Endpoint::parse(bad);
    EXPECT_FALSE(parsed.ok()) << bad;
    if (!parsed.ok()) {
      EXPECT_EQ(parsed.error().code, Errc::kBadRequest);
    }
  }
}

TEST(Endpoint, DefaultPortFollowsTheScheme) {
  auto plain = Endpoint::parse("http://monolith");
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->port, 80);
  auto tls = Endpoint::parse("https://monolith:8443");
  ASSERT_TRUE(tls.ok());
  EXPECT_EQ(tls->port, 8443);
  EXPECT_EQ(tls->host_header(), "monolith:8443");
}

}  // namespace
}  // namespace mysfits::core
