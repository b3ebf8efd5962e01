#include "core/http_message.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

namespace mysfits::core {

std::string_view Request::path() const {
  auto q = target_.find('?');
  return q == std::string_view::npos ? target_ : target_.substr(0, q);
}

std::string_view Request::query() const {
  auto q = target_.find('?');
  return q == std::string_view::npos ? std::string_view{} : target_.substr(q + 1);
}

Response Response::json(int status, std::string body) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

Response Response::error(int status, std::string_view code, std::string_view message) {
  boost::json::object o;
  o["error"] = code;
  o["message"] = message;
  return json(status, boost::json::serialize(o));
}

Response Response::from_error(const Error& error) {
  return Response::error(http_status_for(error.code), error_code_name(error.code), error.message);
}

}  // namespace mysfits::core
