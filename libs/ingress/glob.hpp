#pragma once

#include <string_view>

namespace mysfits::ingress {

// How an ALB condition value is compared with a request field.
struct GlobOptions {
  bool fold_case = false;  // ASCII case-insensitive (host, header and query values)
  bool escapes = false;    // "\*" and "\?" are literal (documented for query strings only)
};

// ALB wildcard match of the whole text: '*' is zero or more bytes (it crosses '/' and '.'),
// '?' exactly one byte, everything else literal. Linear-time two-pointer scan that backtracks
// only to the last '*', so hostile patterns cannot blow up (the fuzzer checks this).
bool glob_match(std::string_view pattern, std::string_view text, GlobOptions options = {});

bool has_wildcard(std::string_view pattern);

// ASCII case-insensitive equality (header names, JSON keys as Go decodes them).
bool ascii_iequals(std::string_view a, std::string_view b);

}  // namespace mysfits::ingress
