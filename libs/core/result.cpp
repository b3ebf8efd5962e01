#include "core/result.hpp"

namespace mysfits::core {

int http_status_for(Errc code) {
  switch (code) {
    case Errc::kBadRequest:
      return 400;
    case Errc::kNotFound:
      return 404;
    case Errc::kConflict:
      return 409;
    case Errc::kUnavailable:
      return 503;
    case Errc::kBadGateway:
      return 502;
    case Errc::kTimeout:
      return 504;
    case Errc::kInternal:
      return 500;
  }
  return 500;
}

const char* error_code_name(Errc code) {
  switch (code) {
    case Errc::kBadRequest:
      return "bad_request";
    case Errc::kNotFound:
      return "not_found";
    case Errc::kConflict:
      return "conflict";
    case Errc::kUnavailable:
      return "unavailable";
    case Errc::kBadGateway:
      return "bad_gateway";
    case Errc::kTimeout:
      return "gateway_timeout";
    case Errc::kInternal:
      return "internal";
  }
  return "internal";
}

}  // namespace mysfits::core
