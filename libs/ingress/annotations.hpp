#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace mysfits::ingress {

inline constexpr std::string_view kAnnotationPrefix = "alb.ingress.kubernetes.io/";

// The alb.ingress.kubernetes.io/* annotations of one object, read with the controller's value
// formats (all values are strings). Errors name the object and the annotation.
class Annotations {
 public:
  Annotations() = default;
  Annotations(const std::map<std::string, std::string>& all, std::string where);

  // `key` is without the prefix: "healthcheck-path".
  const std::string* find(std::string_view key) const;
  std::string where(std::string_view key) const;  // "<object>: annotation alb...io/<key>"

  core::Result<std::optional<bool>> boolean(std::string_view key) const;
  core::Result<std::optional<long>> integer(std::string_view key, long min, long max) const;
  // "a, b,,c" -> {a, b, c}
  std::vector<std::string> string_list(std::string_view key) const;
  // "k=v,k2=v2" with "\," for a literal comma; a missing '=' or empty key is an error.
  core::Result<std::map<std::string, std::string>> string_map(std::string_view key) const;

  const std::map<std::string, std::string>& values() const { return values_; }

 private:
  std::map<std::string, std::string> values_;  // keys without the prefix
  std::string where_;
};

core::Error manifest_error(std::string message);

}  // namespace mysfits::ingress
