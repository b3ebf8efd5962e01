#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace mysfits::ingress {

// An IPv4 or IPv6 address block ("10.0.0.0/8", "2001:db8::/32") for source-ip conditions.
// IPv4 is held as an IPv4-mapped IPv6 address, so one comparison serves both families and a
// client seen as "::ffff:10.1.2.3" still matches "10.0.0.0/8".
class Cidr {
 public:
  static std::optional<Cidr> parse(std::string_view text);
  bool contains(std::string_view address) const;

 private:
  std::array<std::uint8_t, 16> bytes_{};
  int prefix_bits_ = 0;  // over the 128-bit form
};

// "1.2.3.4", "::1", "[::1]" -> 16 bytes; nullopt when not an address.
std::optional<std::array<std::uint8_t, 16>> parse_ip(std::string_view text);

}  // namespace mysfits::ingress
