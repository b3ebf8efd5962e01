#pragma once

#include <string>
#include <utility>
#include <variant>

namespace mysfits::core {

// Failure kinds that cross layer boundaries. Each maps to exactly one HTTP status at the edge
// (see http_status_for), so a store or client never needs to know about HTTP.
enum class Errc {
  kBadRequest,   // 400: the caller's input is wrong
  kNotFound,     // 404
  kConflict,     // 409: e.g. already adopted
  kUnavailable,  // 503: a dependency refuses or is not ready
  kBadGateway,   // 502: a dependency is unreachable or answered garbage
  kTimeout,      // 504: a dependency did not answer before the deadline
  kInternal,     // 500
};

struct Error {
  Errc code = Errc::kInternal;
  std::string message;
};

int http_status_for(Errc code);
const char* error_code_name(Errc code);  // "not_found", "conflict", ... for JSON error bodies

// A value or an Error. C++20 has no std::expected; this is the small subset we use.
template <class T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
  Result(Error error) : v_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

struct Unit {};

}  // namespace mysfits::core
