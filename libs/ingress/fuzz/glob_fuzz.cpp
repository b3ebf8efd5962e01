// libFuzzer target for the ALB wildcard matcher. Input: one options byte, then pattern and text
// separated by the first NUL (or split in half). The fast matcher must agree with a plain
// dynamic-programming reference, and finish quickly on any input (it is linear per '*').
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "ingress/glob.hpp"

namespace {

using mysfits::ingress::GlobOptions;

char fold(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

struct Token {
  int kind;  // 0 literal, 1 '*', 2 '?'
  char literal;
};

std::vector<Token> tokens(std::string_view pattern, const GlobOptions& options) {
  std::vector<Token> out;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (options.escapes && c == '\\' && i + 1 < pattern.size() &&
        (pattern[i + 1] == '*' || pattern[i + 1] == '?')) {
      out.push_back({0, pattern[++i]});
    } else {
      out.push_back({c == '*' ? 1 : c == '?' ? 2 : 0, c});
    }
  }
  return out;
}

// match[i][j]: the first i tokens match the first j bytes.
bool reference_match(std::string_view pattern, std::string_view text, const GlobOptions& options) {
  const std::vector<Token> toks = tokens(pattern, options);
  std::vector<std::vector<bool>> match(toks.size() + 1, std::vector<bool>(text.size() + 1));
  match[0][0] = true;
  for (std::size_t i = 1; i <= toks.size(); ++i) {
    const Token& t = toks[i - 1];
    for (std::size_t j = 0; j <= text.size(); ++j) {
      if (t.kind == 1) {
        match[i][j] = match[i - 1][j] || (j > 0 && match[i][j - 1]);
      } else if (j > 0) {
        const bool same = t.kind == 2 || (options.fold_case ? fold(t.literal) == fold(text[j - 1])
                                                            : t.literal == text[j - 1]);
        match[i][j] = same && match[i - 1][j - 1];
      }
    }
  }
  return match[toks.size()][text.size()];
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0)
    return 0;
  const GlobOptions options{(data[0] & 1) != 0, (data[0] & 2) != 0};
  const std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  const auto nul = rest.find('\0');
  const std::size_t split = nul == std::string_view::npos ? rest.size() / 2 : nul;
  const std::string_view pattern = rest.substr(0, split);
  const std::string_view text = rest.substr(nul == std::string_view::npos ? split : split + 1);
  const bool fast = mysfits::ingress::glob_match(pattern, text, options);
  // The reference is quadratic in memory: compare on inputs of a sensible size only.
  if (pattern.size() <= 256 && text.size() <= 256 &&
      fast != reference_match(pattern, text, options))
    std::abort();
  return 0;
}
