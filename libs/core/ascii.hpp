#pragma once

#include <string_view>

namespace mysfits::core {

// ASCII only, as HTTP field names and tokens are: no locale lookup per character (std::tolower
// is a library call), which matters on the proxy path where every header name is compared.
constexpr char ascii_lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

constexpr bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (ascii_lower(a[i]) != ascii_lower(b[i])) {
      return false;
    }
  }
  return true;
}

}  // namespace mysfits::core
