#include "integration/dynamodb/dynalite_connection.hpp"

#include <boost/asio.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>

namespace mysfits::testing {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace json = boost::json;
using tcp = asio::ip::tcp;
using HttpResponse = http::response<http::string_body>;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

Answer to_answer(const HttpResponse& response) {
  Answer answer;
  answer.status = static_cast<int>(response.result_int());
  answer.body = response.body();
  if (auto id = response["x-amzn-RequestId"]; !id.empty())
    answer.request_id = std::string(id);
  if (answer.status != 200) {
    boost::system::error_code ec;
    json::value doc = json::parse(answer.body, ec);
    if (!ec && doc.is_object()) {
      if (const auto* type = doc.get_object().if_contains("__type"); type && type->is_string()) {
        std::string_view text = type->get_string();
        answer.error_type = std::string(text.substr(text.rfind('#') + 1));
      }
    }
  }
  return answer;
}

}  // namespace

Answer error_answer(int status, std::string type, std::string_view message,
                    std::string_view space) {
  json::object body{{"__type", std::string(space) + "#" + type}, {"message", message}};
  Answer answer;
  answer.status = status;
  answer.body = json::serialize(body);
  answer.error_type = std::move(type);
  return answer;
}

DynaliteConnection::DynaliteConnection(asio::any_io_executor executor, std::uint16_t port)
    : stream_(executor), port_(port) {}

asio::awaitable<Answer> DynaliteConnection::exchange(const HttpRequest& from,
                                                     std::string_view operation, std::string body) {
  HttpRequest request{http::verb::post, "/", 11};
  for (const auto& field : from) {
    if (field.name() != http::field::host && field.name() != http::field::content_length &&
        field.name() != http::field::connection &&
        !beast::iequals(field.name_string(), "X-Amz-Target"))
      request.set(field.name_string(), field.value());
  }
  request.set("X-Amz-Target", "DynamoDB_20120810." + std::string(operation));
  request.set(http::field::host, "127.0.0.1:" + std::to_string(port_));
  request.body() = std::move(body);
  request.keep_alive(true);
  request.prepare_payload();
  for (int attempt = 0; attempt < 2; ++attempt) {
    bool reused = open_;
    if (!open_) {
      stream_.expires_after(std::chrono::seconds(5));
      auto [connect_ec] = co_await stream_.async_connect(
          tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_), kTuple);
      if (connect_ec)
        break;
      open_ = true;
    }
    stream_.expires_after(std::chrono::seconds(10));
    auto [write_ec, written] = co_await http::async_write(stream_, request, kTuple);
    HttpResponse response;
    if (!write_ec) {
      auto [read_ec, read] = co_await http::async_read(stream_, buffer_, response, kTuple);
      if (!read_ec) {
        if (!response.keep_alive())
          close();
        co_return to_answer(response);
      }
    }
    close();
    if (!reused)
      break;
  }
  co_return error_answer(500, "InternalServerError", "dynalite did not answer");
}

void DynaliteConnection::close() {
  beast::error_code ignored;
  stream_.socket().close(ignored);
  buffer_.clear();
  open_ = false;
}

}  // namespace mysfits::testing
