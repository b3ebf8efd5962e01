#include "cli/http_probe.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

namespace mysfits::cli {

namespace asio = boost::asio;
using asio::ip::tcp;

int parse_status_line(std::string_view head) {
  if (head.size() < 12 || head.substr(0, 7) != "HTTP/1." || head[8] != ' ')
    return 0;
  int status = 0;
  for (std::size_t i = 9; i < 12; ++i) {
    if (head[i] < '0' || head[i] > '9')
      return 0;
    status = status * 10 + (head[i] - '0');
  }
  return status;
}

asio::awaitable<ProbeResponse> probe_request(std::uint16_t port, std::string method,
                                             std::string target, std::string body,
                                             std::chrono::milliseconds timeout) {
  auto executor = co_await asio::this_coro::executor;
  tcp::socket socket(executor);
  asio::steady_timer timer(executor, timeout);
  timer.async_wait([&socket](const boost::system::error_code& ec) {
    if (!ec) {
      boost::system::error_code ignored;
      socket.close(ignored);
    }
  });
  ProbeResponse out;
  tcp::endpoint endpoint(asio::ip::address_v4::loopback(), port);
  auto [connect_ec] = co_await socket.async_connect(endpoint, asio::as_tuple(asio::use_awaitable));
  if (connect_ec)
    co_return out;
  std::string request = method + " " + target +
                        " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
                        "\r\nUser-Agent: mysfits\r\nConnection: close\r\n"
                        "Content-Type: application/json\r\nContent-Length: " +
                        std::to_string(body.size()) + "\r\n\r\n" + body;
  auto [write_ec, written] = co_await asio::async_write(socket, asio::buffer(request),
                                                        asio::as_tuple(asio::use_awaitable));
  if (write_ec)
    co_return out;
  std::string answer;
  auto [read_ec, read] = co_await asio::async_read(socket, asio::dynamic_buffer(answer, 1 << 20),
                                                   asio::as_tuple(asio::use_awaitable));
  // Connection: close, so the answer ends at end of stream; anything else is not an answer.
  if (read_ec != asio::error::eof)
    co_return out;
  auto end_of_head = answer.find("\r\n\r\n");
  if (end_of_head == std::string::npos)
    co_return out;
  out.status = parse_status_line(answer);
  out.body = answer.substr(end_of_head + 4);
  co_return out;
}

asio::awaitable<int> probe_status(std::uint16_t port, std::string target,
                                  std::chrono::milliseconds timeout) {
  auto answer = co_await probe_request(port, "GET", std::move(target), "", timeout);
  co_return answer.status;
}

}  // namespace mysfits::cli
