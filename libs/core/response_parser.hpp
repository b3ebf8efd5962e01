#pragma once

// Internal to the HTTP client: Beast's HTTP/1.1 response parser (framing, chunked bodies, limits)
// writing straight into a ClientResponse, so no header is stored twice on the way.

#include <boost/beast/http/basic_parser.hpp>
#include <cstddef>

#include "core/http_client.hpp"

namespace mysfits::core::detail {

class ResponseParser final : public boost::beast::http::basic_parser<false> {
 public:
  // Fills response (which must outlive the parser); head: the request was a HEAD, so no body
  // follows whatever the framing headers say.
  ResponseParser(ClientResponse& response, std::size_t max_header, std::size_t max_body, bool head);

 private:
  using error_code = boost::system::error_code;
  using string_view = boost::beast::string_view;

  void on_request_impl(boost::beast::http::verb, string_view, string_view, int,
                       error_code&) override {}
  void on_response_impl(int code, string_view reason, int version, error_code& ec) override;
  void on_field_impl(boost::beast::http::field, string_view name, string_view value,
                     error_code& ec) override;
  void on_header_impl(error_code&) override {}
  void on_body_init_impl(const boost::optional<std::uint64_t>& content_length,
                         error_code& ec) override;
  std::size_t on_body_impl(string_view body, error_code& ec) override;
  void on_chunk_header_impl(std::uint64_t, string_view, error_code&) override {}
  std::size_t on_chunk_body_impl(std::uint64_t remain, string_view body, error_code& ec) override;
  void on_finish_impl(error_code&) override {}

  ClientResponse& response_;
};

}  // namespace mysfits::core::detail
