#include "services/gateway/forwarded_headers.hpp"

#include <gtest/gtest.h>

namespace mysfits::gateway {
namespace {

std::string value_of(const HeaderList& headers, std::string_view name) {
  std::string found;
  int count = 0;
  for (const auto& [k, v] : headers) {
    if (k == name) {
      found = v;
      ++count;
    }
  }
  return count == 1 ? found : (count == 0 ? "<absent>" : "<repeated>");
}

ForwardContext context() {
  ForwardContext c;
  c.client_ip = "127.0.0.1";
  c.client_port = 51000;
  c.listener_port = 8080;
  return c;
}

const std::string kTrace = "1-00000000-000000000000000000000000";

TEST(ForwardedHeaders, AddsForwardedForProtoPortAndTrace) {
  auto out = forwarded_headers({{"Host", "localhost"}, {"Accept", "*/*"}}, context(), kTrace);
  EXPECT_EQ(value_of(out, "X-Forwarded-For"), "127.0.0.1");
  EXPECT_EQ(value_of(out, "X-Forwarded-Proto"), "http");
  EXPECT_EQ(value_of(out, "X-Forwarded-Port"), "8080");
  EXPECT_EQ(value_of(out, "X-Amzn-Trace-Id"), "Root=" + kTrace);
  EXPECT_EQ(value_of(out, "Accept"), "*/*");
}

TEST(ForwardedHeaders, AppendsToClientForwardedForNeverTrustingIt) {
  auto out = forwarded_headers(
      {{"X-Forwarded-For", "10.0.0.1"}, {"x-forwarded-for", "10.0.0.2, 10.0.0.3"}}, context(),
      kTrace);
  EXPECT_EQ(value_of(out, "X-Forwarded-For"), "10.0.0.1, 10.0.0.2, 10.0.0.3, 127.0.0.1");
}

TEST(ForwardedHeaders, OverwritesClientProtoAndPort) {
  auto out = forwarded_headers({{"X-Forwarded-Proto", "https"}, {"X-Forwarded-Port", "443"}},
                               context(), kTrace);
  EXPECT_EQ(value_of(out, "X-Forwarded-Proto"), "http");
  EXPECT_EQ(value_of(out, "X-Forwarded-Port"), "8080");
}

TEST(ForwardedHeaders, PreserveAndRemoveModes) {
  auto c = context();
  c.xff_mode = "preserve";
  EXPECT_EQ(
      value_of(forwarded_headers({{"X-Forwarded-For", "10.0.0.1"}}, c, kTrace), "X-Forwarded-For"),
      "10.0.0.1");
  c.xff_mode = "remove";
  EXPECT_EQ(
      value_of(forwarded_headers({{"X-Forwarded-For", "10.0.0.1"}}, c, kTrace), "X-Forwarded-For"),
      "<absent>");
}

TEST(ForwardedHeaders, ClientPortBracketsIpv6) {
  auto c = context();
  c.xff_client_port = true;
  c.client_ip = "::1";
  EXPECT_EQ(value_of(forwarded_headers({}, c, kTrace), "X-Forwarded-For"), "[::1]:51000");
}

TEST(ForwardedHeaders, HostIsLowerCasedAndCarriesTheListenerPort) {
  EXPECT_EQ(forwarded_host("Example.COM", 8080), "example.com:8080");
  EXPECT_EQ(forwarded_host("example.com:9000", 8080), "example.com:9000");
  EXPECT_EQ(forwarded_host("example.com:8080", 80), "example.com");
  EXPECT_EQ(forwarded_host("[::1]:80", 443), "[::1]");
  EXPECT_EQ(forwarded_host("[::1]", 8080), "[::1]:8080");
}

TEST(ForwardedHeaders, DropsHopByHopAndConnectionListedHeaders) {
  auto out = forwarded_headers({{"Connection", "keep-alive, X-Secret"},
                                {"Keep-Alive", "timeout=5"},
                                {"X-Secret", "1"},
                                {"Transfer-Encoding", "chunked"},
                                {"Content-Length", "3"},
                                {"Expect", "100-continue"},
                                {"X-Kept", "1"}},
                               context(), kTrace);
  for (const char* gone :
       {"Connection", "Keep-Alive", "X-Secret", "Transfer-Encoding", "Content-Length", "Expect"})
    EXPECT_EQ(value_of(out, gone), "<absent>") << gone;
  EXPECT_EQ(value_of(out, "X-Kept"), "1");
}

TEST(ForwardedHeaders, DropsInvalidHeaderNamesWhenAsked) {
  auto c = context();
  c.drop_invalid_header_fields = true;
  auto out = forwarded_headers({{"X_Under", "1"}, {"X-Ok", "1"}}, c, kTrace);
  EXPECT_EQ(value_of(out, "X_Under"), "<absent>");
  EXPECT_EQ(value_of(out, "X-Ok"), "1");
}

TEST(ForwardedHeaders, CountsForwardedForAddresses) {
  EXPECT_EQ(count_forwarded_for(""), 0U);
  EXPECT_EQ(count_forwarded_for("1.1.1.1"), 1U);
  EXPECT_EQ(count_forwarded_for("1.1.1.1, 2.2.2.2,3.3.3.3"), 3U);
}

}  // namespace
}  // namespace mysfits::gateway
