#include "core/response_parser.hpp"

#include <string>

namespace mysfits::core::detail {
namespace {

// Most responses carry fewer fields than this: one allocation for the list, not one per growth.
constexpr std::size_t kUsualFieldCount = 8;

}  // namespace

ResponseParser::ResponseParser(ClientResponse& response, std::size_t max_header,
                               std::size_t max_body, bool head)
    : response_(response) {
  header_limit(static_cast<std::uint32_t>(max_header));
  body_limit(max_body);
  skip(head);
  // Body bytes that arrive with the header are taken in the same call.
  eager(true);
}

void ResponseParser::on_response_impl(int code, string_view, int, error_code&) {
  response_.status = code;
  response_.headers.reserve(kUsualFieldCount);
}

void ResponseParser::on_field_impl(boost::beast::http::field, string_view name, string_view value,
                                   error_code&) {
  response_.headers.emplace_back(std::string(name), std::string(value));
}

void ResponseParser::on_body_init_impl(const boost::optional<std::uint64_t>& content_length,
                                       error_code&) {
  // The base class has already refused a length above the body limit.
  if (content_length) {
    response_.body.reserve(static_cast<std::size_t>(*content_length));
  }
}

std::size_t ResponseParser::on_body_impl(string_view body, error_code&) {
  response_.body.append(body.data(), body.size());
  return body.size();
}

std::size_t ResponseParser::on_chunk_body_impl(std::uint64_t, string_view body, error_code&) {
  response_.body.append(body.data(), body.size());
  return body.size();
}

}  // namespace mysfits::core::detail
