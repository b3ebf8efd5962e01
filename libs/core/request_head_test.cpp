#include "core/request_head.hpp"

#include <gtest/gtest.h>

namespace mysfits::core::detail {
namespace {

ClientRequest request(std::string method, std::string body = "") {
  ClientRequest r;
  r.method = std::move(method);
  r.target = "/mysfits/1?x=y";
  r.body = std::move(body);
  return r;
}

std::string head_of(const ClientRequest& r, bool* keep_alive = nullptr) {
  std::string out = "left over from the previous request";
  const bool keep = write_request_head(out, r, "upstream:8080");
  if (keep_alive != nullptr) {
    *keep_alive = keep;
  }
  return out;
}

TEST(ClientRequestHead, RequestLineThenEndpointHostThenHeadersInOrder) {
  auto r = request("GET");
  r.headers = {{"X-B", "2"}, {"x-a", "1"}, {"X-B", "3"}};
  bool keep_alive = false;
  EXPECT_EQ(
      head_of(r, &keep_alive),
      "GET /mysfits/1?x=y HTTP/1.1\r\nHost: upstream:8080\r\nX-B: 2\r\nx-a: 1\r\nX-B: 3\r\n\r\n");
  EXPECT_TRUE(keep_alive);
}

TEST(ClientRequestHead, TheCallersLastHostReplacesTheEndpoints) {
  auto r = request("GET");
  r.headers = {{"host", "first"}, {"X-A", "1"}, {"Host", "example.com:81"}};
  EXPECT_EQ(head_of(r), "GET /mysfits/1?x=y HTTP/1.1\r\nX-A: 1\r\nHost: example.com:81\r\n\r\n");
}

TEST(ClientRequestHead, BodyIsFramedByItsLengthWhateverTheCallerSaid) {
  auto r = request("POST", "{\"a\":1}");
  r.headers = {{"Content-Length", "99"}, {"Transfer-Encoding", "chunked"}, {"X-A", "1"}};
  EXPECT_EQ(head_of(r),
            "POST /mysfits/1?x=y HTTP/1.1\r\nHost: upstream:8080\r\nX-A: 1\r\n"
            "Content-Length: 7\r\n\r\n");
}

TEST(ClientRequestHead, EmptyPostPutAndOptionsSayLengthZeroOthersSayNothing) {
  for (const char* method : {"POST", "PUT", "OPTIONS"}) {
    EXPECT_NE(head_of(request(method)).find("\r\nContent-Length: 0\r\n"), std::string::npos)
        << method;
  }
  for (const char* method : {"GET", "HEAD", "DELETE"}) {
    EXPECT_EQ(head_of(request(method)).find("Content-Length"), std::string::npos) << method;
  }
  EXPECT_NE(head_of(request("DELETE", "x")).find("\r\nContent-Length: 1\r\n"), std::string::npos);
}

TEST(ClientRequestHead, ValuesAreTrimmedAndConnectionCloseEndsKeepAlive) {
  auto r = request("GET");
  r.headers = {{"X-A", " \tspaced out\t "}, {"Connection", "Upgrade,  CLOSE "}};
  bool keep_alive = true;
  EXPECT_EQ(head_of(r, &keep_alive),
            "GET /mysfits/1?x=y HTTP/1.1\r\nHost: upstream:8080\r\nX-A: spaced out\r\n"
            "Connection: Upgrade,  CLOSE\r\n\r\n");
  EXPECT_FALSE(keep_alive);
  r.headers = {{"Connection", "closed, keep-alive"}};
  head_of(r, &keep_alive);
  EXPECT_TRUE(keep_alive);
}

TEST(ClientRequestHead, AFieldThatWouldSplitTheHeadIsLeftOut) {
  auto r = request("GET");
  r.headers = {{"X-A", "1\r\nX-Injected: 1"},
               {"X-B\n", "2"},
               {"X-C", std::string("3\0", 2)},
               {"X-D", "4"},
               {"Host", "evil\r\n"}};
  EXPECT_EQ(head_of(r), "GET /mysfits/1?x=y HTTP/1.1\r\nHost: upstream:8080\r\nX-D: 4\r\n\r\n");
}

}  // namespace
}  // namespace mysfits::core::detail
