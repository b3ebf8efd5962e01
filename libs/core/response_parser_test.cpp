#include "core/response_parser.hpp"

#include <gtest/gtest.h>

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <string_view>

namespace mysfits::core::detail {
namespace {

namespace http = boost::beast::http;

constexpr std::size_t kHeaderLimit = 1024;

// Feeds text in pieces of at most step bytes, as reads would deliver it; returns the last error.
boost::system::error_code feed(ResponseParser& parser, std::string_view text, std::size_t step) {
  std::string pending;
  boost::system::error_code ec;
  for (std::size_t at = 0; at < text.size() && !parser.is_done(); at += step) {
    pending.append(text.substr(at, step));
    const auto used = parser.put(boost::asio::buffer(pending), ec);
    pending.erase(0, used);
    if (ec == http::error::need_more) {
      ec = {};
    } else if (ec) {
      return ec;
    }
  }
  return ec;
}

TEST(ClientResponseParser, KeepsStatusHeadersInOrderAndTheBodyWhateverTheReadSizes) {
  const std::string_view text =
      "HTTP/1.1 201 Created\r\nServer: x\r\nSet-Cookie: a=1\r\nset-cookie: b=2\r\n"
      "Content-Length: 5\r\n\r\nhello";
  for (std::size_t step : {std::size_t{1}, std::size_t{7}, text.size()}) {
    ClientResponse response;
    ResponseParser parser(response, kHeaderLimit, 100, false);
    EXPECT_FALSE(feed(parser, text, step));
    ASSERT_TRUE(parser.is_done()) << step;
    EXPECT_TRUE(parser.keep_alive());
    EXPECT_EQ(response.status, 201);
    ASSERT_EQ(response.headers.size(), 4u);
    EXPECT_EQ(response.headers[2].first, "set-cookie");
    EXPECT_EQ(response.headers[2].second, "b=2");
    EXPECT_EQ(response.header("content-length"), "5");
    EXPECT_EQ(response.body, "hello");
  }
}

TEST(ClientResponseParser, JoinsAChunkedBody) {
  ClientResponse response;
  ResponseParser parser(response, kHeaderLimit, 100, false);
  EXPECT_FALSE(feed(parser,
                    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                    "3\r\nabc\r\n2;ext=1\r\nde\r\n0\r\n\r\n",
                    4));
  ASSERT_TRUE(parser.is_done());
  EXPECT_EQ(response.body, "abcde");
}

TEST(ClientResponseParser, AnswerToHeadHasNoBodyWhateverItsLengthSays) {
  ClientResponse response;
  ResponseParser parser(response, kHeaderLimit, 100, true);
  EXPECT_FALSE(feed(parser, "HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n", 64));
  ASSERT_TRUE(parser.is_done());
  EXPECT_EQ(response.header("Content-Length"), "1234");
  EXPECT_TRUE(response.body.empty());
}

TEST(ClientResponseParser, BodyAboveTheLimitAndHeaderAboveTheLimitAreErrors) {
  ClientResponse response;
  ResponseParser parser(response, kHeaderLimit, 4, false);
  EXPECT_EQ(feed(parser, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", 64),
            http::error::body_limit);

  ClientResponse big;
  ResponseParser header_parser(big, kHeaderLimit, 100, false);
  const std::string text = "HTTP/1.1 200 OK\r\nX: " + std::string(2 * kHeaderLimit, 'a');
  EXPECT_EQ(feed(header_parser, text, 256), http::error::header_limit);
}

TEST(ClientResponseParser, BodyWithoutFramingEndsWithTheStream) {
  ClientResponse response;
  ResponseParser parser(response, kHeaderLimit, 100, false);
  EXPECT_FALSE(feed(parser, "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil the end", 5));
  EXPECT_FALSE(parser.is_done());
  EXPECT_TRUE(parser.need_eof());
  boost::system::error_code ec;
  parser.put_eof(ec);
  EXPECT_FALSE(ec);
  EXPECT_TRUE(parser.is_done());
  EXPECT_FALSE(parser.keep_alive());
  EXPECT_EQ(response.body, "until the end");
}

}  // namespace
}  // namespace mysfits::core::detail
