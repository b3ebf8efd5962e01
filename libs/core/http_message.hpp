#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"

namespace mysfits::core {

namespace detail {
struct RawRequest;  // wraps the Beast message; defined only inside the server's translation unit
}

// One HTTP request as handlers see it: views into the server's buffers, valid until the
// response has been sent (the server keeps them alive while an async handler runs).
class Request {
 public:
  Request(const detail::RawRequest* raw, std::string_view method, std::string_view target,
          std::string_view body, std::string_view remote_address, std::string_view request_id)
      : raw_(raw),
        method_(method),
        target_(target),
        body_(body),
        remote_address_(remote_address),
        request_id_(request_id) {}

  std::string_view method() const { return method_; }
  std::string_view target() const { return target_; }  // as sent: path plus optional "?query"
  std::string_view path() const;                       // target up to '?'
  std::string_view query() const;                      // after '?', or empty
  std::string_view body() const { return body_; }
  std::string_view remote_address() const { return remote_address_; }
  std::string_view request_id() const { return request_id_; }  // X-Request-Id, kept or made

  // First value of a header (case-insensitive name), or empty.
  std::string_view header(std::string_view name) const;
  // Every header field in arrival order, names as sent.
  void for_each_header(
      const std::function<void(std::string_view name, std::string_view value)>& fn) const;
  unsigned version() const;          // 10 or 11
  std::uint16_t local_port() const;  // the listener's port the client connected to
  std::uint16_t remote_port() const;

  // Values captured by "{name}" segments of the matched route, in order.
  const std::vector<std::string_view>& params() const { return params_; }
  std::string_view param(std::size_t i) const { return i < params_.size() ? params_[i] : ""; }
  void set_params(std::vector<std::string_view> params) { params_ = std::move(params); }

 private:
  const detail::RawRequest* raw_;
  std::string_view method_;
  std::string_view target_;
  std::string_view body_;
  std::string_view remote_address_;
  std::string_view request_id_;
  std::vector<std::string_view> params_;
};

struct Response {
  int status = 200;
  std::string body;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers

  static Response json(int status, std::string body);
  // {"error": code, "message": message}
  static Response error(int status, std::string_view code, std::string_view message);
  static Response from_error(const Error& error);
};

}  // namespace mysfits::core
