#include "ingress/glob.hpp"

#include <cstddef>

namespace mysfits::ingress {
namespace {

char fold(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

// One pattern token: a wildcard or a literal byte (an escaped wildcard is a literal).
struct Token {
  enum class Kind { kLiteral, kStar, kAny } kind = Kind::kLiteral;
  char literal = 0;
  std::size_t width = 1;  // bytes of pattern it occupies
};

Token token_at(std::string_view pattern, std::size_t i, const GlobOptions& options) {
  const char c = pattern[i];
  if (options.escapes && c == '\\' && i + 1 < pattern.size() &&
      (pattern[i + 1] == '*' || pattern[i + 1] == '?')) {
    return {Token::Kind::kLiteral, pattern[i + 1], 2};
  }
  if (c == '*')
    return {Token::Kind::kStar, 0, 1};
  if (c == '?')
    return {Token::Kind::kAny, 0, 1};
  return {Token::Kind::kLiteral, c, 1};
}

bool same(char a, char b, const GlobOptions& options) {
  return options.fold_case ? fold(a) == fold(b) : a == b;
}

}  // namespace

bool glob_match(std::string_view pattern, std::string_view text, GlobOptions options) {
  std::size_t p = 0;
  std::size_t t = 0;
  // Where to resume after the most recent '*': the pattern just past it, and the text byte
  // that '*' will swallow next time a literal fails.
  std::size_t star_p = std::string_view::npos;
  std::size_t star_t = 0;
  while (t < text.size()) {
    if (p < pattern.size()) {
      const Token tok = token_at(pattern, p, options);
      if (tok.kind == Token::Kind::kStar) {
        star_p = p + tok.width;
        star_t = t;
        p = star_p;
        continue;
      }
      if (tok.kind == Token::Kind::kAny || same(tok.literal, text[t], options)) {
        p += tok.width;
        ++t;
        continue;
      }
    }
    if (star_p == std::string_view::npos)
      return false;
    p = star_p;
    t = ++star_t;
  }
  while (p < pattern.size()) {
    const Token tok = token_at(pattern, p, options);
    if (tok.kind != Token::Kind::kStar)
      return false;
    p += tok.width;
  }
  return true;
}

bool ascii_iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size())
    return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (fold(a[i]) != fold(b[i]))
      return false;
  }
  return true;
}

bool has_wildcard(std::string_view pattern) {
  return pattern.find_first_of("*?") != std::string_view::npos;
}

}  // namespace mysfits::ingress
