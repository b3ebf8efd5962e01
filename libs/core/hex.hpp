#pragma once

namespace mysfits::core {

// The value of one hexadecimal digit (either case), or -1: for the percent-decoders that each
// need their own rules about what a bad escape means.
constexpr int hex_value(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

}  // namespace mysfits::core
