#pragma once

// Internal to the core library: the small text pieces the request and response head writers
// (request_head.cpp, response_head.cpp) and the server's framing checks share.

#include <algorithm>
#include <charconv>
#include <cstddef>
#include <string>
#include <string_view>

namespace mysfits::core::detail {

// A field that would end the line early or smuggle another header in: never written.
inline bool breaks_the_line(std::string_view text) {
  // A plain loop: find_first_of calls memchr on the three-byte set once per character.
  return std::any_of(text.begin(), text.end(),
                     [](char c) { return c == '\r' || c == '\n' || c == '\0'; });
}

inline void append_field(std::string& out, std::string_view name, std::string_view value) {
  out.append(name);
  out.append(": ");
  out.append(value);
  out.append("\r\n");
}

inline void append_decimal(std::string& out, std::size_t n) {
  char digits[24];
  const auto end = std::to_chars(digits, digits + sizeof digits, n).ptr;
  out.append(digits, end);
}

// Without the optional whitespace (SP, HTAB) HTTP allows around a field value or list item.
inline std::string_view trim_ows(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

}  // namespace mysfits::core::detail
