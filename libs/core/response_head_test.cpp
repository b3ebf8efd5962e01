#include "core/response_head.hpp"

#include <gtest/gtest.h>

namespace mysfits::core::detail {
namespace {

HeadOptions options(unsigned version, bool head_request, bool keep_alive,
                    std::string_view cors_origin = {}, std::string_view request_id = {}) {
  HeadOptions o;
  o.version = version;
  o.head_request = head_request;
  o.keep_alive = keep_alive;
  o.cors_origin = cors_origin;
  o.request_id = request_id;
  return o;
}

std::string head_of(const Response& r, HeadOptions options) {
  std::string out = "left over from the previous response";
  write_response_head(out, r, options);
  return out;
}

TEST(ResponseHead, JsonWithCorsAndRequestId) {
  auto r = Response::json(200, R"({"a":1})");
  EXPECT_EQ(head_of(r, options(11, false, true, "*", "abc")),
            "HTTP/1.1 200 OK\r\n"
            "Content-Type: application/json\r\n"
            "Content-Length: 7\r\n"
            "Access-Control-Allow-Origin: *\r\n"
            "Access-Control-Expose-Headers: X-Request-Id\r\n"
            "X-Request-Id: abc\r\n"
            "\r\n");
  EXPECT_TRUE(sends_body(r, {}));
}

TEST(ResponseHead, ConnectionHeaderFollowsVersionAndKeepAlive) {
  Response r = Response::json(404, "{}");
  EXPECT_EQ(head_of(r, options(11, false, false)),
            "HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: 2\r\n"
            "Connection: close\r\n\r\n");
  EXPECT_EQ(head_of(r, options(10, false, true)),
            "HTTP/1.0 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: 2\r\n"
            "Connection: keep-alive\r\n\r\n");
  EXPECT_EQ(
      head_of(r, options(10, false, false)),
      "HTTP/1.0 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n");
}

TEST(ResponseHead, FramingIsTheServersNotTheHandlers) {
  Response r = Response::json(200, "12345");
  r.headers = {{"Content-Length", "99"},
               {"Transfer-Encoding", "chunked"},
               {"Connection", "upgrade"},
               {"X-Kept", "yes"}};
  EXPECT_EQ(head_of(r, {}),
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Kept: yes\r\n"
            "Content-Length: 5\r\n\r\n");
}

TEST(ResponseHead, HeadRelaysTheGivenLengthOrTheBodys) {
  Response relayed;
  relayed.content_type = "text/plain";
  relayed.headers = {{"content-length", "1234"}};
  HeadOptions head = options(11, true, true);
  EXPECT_EQ(head_of(relayed, head),
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\ncontent-length: 1234\r\n\r\n");
  EXPECT_FALSE(sends_body(relayed, head));

  Response own = Response::json(200, "abc");
  EXPECT_EQ(head_of(own, head),
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 3\r\n\r\n");
}

TEST(ResponseHead, BodylessStatusesHaveNoLengthNorType) {
  Response r;
  r.status = 204;
  r.headers = {{"Allow", "GET"}};
  EXPECT_EQ(head_of(r, {}), "HTTP/1.1 204 No Content\r\nAllow: GET\r\n\r\n");
  EXPECT_FALSE(sends_body(r, {}));
  r.status = 304;
  r.content_type = "application/json";
  EXPECT_EQ(head_of(r, {}),
            "HTTP/1.1 304 Not Modified\r\nContent-Type: application/json\r\nAllow: GET\r\n\r\n");
}

TEST(ResponseHead, HeadersThatWouldSplitTheResponseAreDropped) {
  Response r = Response::json(200, "");
  r.headers = {{"X-Evil", "a\r\nSet-Cookie: x=1"},
               {"X-Nul", std::string("a\0b", 3)},
               {"X\nName", "v"},
               {"", "v"},
               {"X-Fine", "v"}};
  EXPECT_EQ(head_of(r, {}),
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Fine: v\r\n"
            "Content-Length: 0\r\n\r\n");
}

TEST(ResponseHead, ServerHeadersReplaceTheHandlers) {
  Response r = Response::json(200, "");
  r.headers = {{"x-request-id", "theirs"}, {"Access-Control-Allow-Origin", "https://a.example"}};
  EXPECT_EQ(head_of(r, options(11, false, true, "*", "ours")),
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 0\r\n"
            "Access-Control-Allow-Origin: *\r\nAccess-Control-Expose-Headers: X-Request-Id\r\n"
            "X-Request-Id: ours\r\n\r\n");
  // Without CORS or request ids of its own (the gateway), the server relays the handler's.
  EXPECT_EQ(head_of(r, {}),
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nx-request-id: theirs\r\n"
            "Access-Control-Allow-Origin: https://a.example\r\nContent-Length: 0\r\n\r\n");
}

TEST(ResponseHead, UnknownStatusHasAnEmptyReason) {
  Response r = Response::json(299, "");
  EXPECT_EQ(head_of(r, {}).substr(0, 15), "HTTP/1.1 299 \r\n");
}

}  // namespace
}  // namespace mysfits::core::detail
