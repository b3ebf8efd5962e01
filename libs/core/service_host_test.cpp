#include "core/service_host.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

namespace mysfits::core {
namespace {

ServerOptions gateway_like_options() {
  ServerOptions options;
  options.threads = 1;
  options.limits.request_timeout = std::chrono::seconds(60);
  return options;
}

TEST(ServiceHost, RequestTimeoutIsTheFlagsWhenGivenElseTheExecutablesDefault) {
  ServiceConfig config;
  config.threads = 1;
  ServiceHost defaulted("t", config, gateway_like_options());
  EXPECT_EQ(defaulted.request_timeout(), std::chrono::seconds(60));

  config.request_timeout_ms = 750;
  ServiceHost given("t", config, gateway_like_options());
  EXPECT_EQ(given.request_timeout(), std::chrono::milliseconds(750));
}

TEST(ServiceHost, APortInUseEndsRunWithExitCodeOne) {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor taken(io, {boost::asio::ip::make_address("127.0.0.1"), 0},
                                       /*reuse_address=*/false);
  ServiceConfig config;
  config.host = "127.0.0.1";
  config.port = taken.local_endpoint().port();
  config.threads = 1;
  ServiceHost host("t", config, ServerOptions{});
  EXPECT_EQ(host.run(), 1);
}

}  // namespace
}  // namespace mysfits::core
