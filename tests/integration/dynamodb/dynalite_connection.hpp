#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cstdint>
#include <string>
#include <string_view>

namespace mysfits::testing {

using HttpRequest = boost::beast::http::request<boost::beast::http::string_body>;

// What a request to the emulator comes to: an answer, or a connection reset, or silence.
struct Answer {
  enum class Kind { kAnswer, kReset, kSilence };
  Kind kind = Kind::kAnswer;
  int status = 200;
  std::string body = "{}";
  std::string request_id = "FAULT-PROXY-REQUEST-ID";
  std::string error_type;  // short __type of an error answer
};

// A DynamoDB error answer: {"__type": "<space>#<type>", "message": message}.
Answer error_answer(int status, std::string type, std::string_view message,
                    std::string_view space = "com.amazonaws.dynamodb.v20120810");

// One kept-alive connection to dynalite, for one client connection of the proxy.
class DynaliteConnection {
 public:
  DynaliteConnection(boost::asio::any_io_executor executor, std::uint16_t port);

  // Sends `body` as `operation` with the client's own headers (dynalite looks at their form,
  // not at the signature). A kept-alive connection that dynalite closed while idle is replaced
  // once; a request is never sent twice after any of its answer arrived.
  boost::asio::awaitable<Answer> exchange(const HttpRequest& from, std::string_view operation,
                                          std::string body);

 private:
  void close();

  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  std::uint16_t port_;
  bool open_ = false;
};

}  // namespace mysfits::testing
