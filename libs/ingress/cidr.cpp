#include "ingress/cidr.hpp"

#include <arpa/inet.h>

#include <charconv>
#include <string>

namespace mysfits::ingress {

std::optional<std::array<std::uint8_t, 16>> parse_ip(std::string_view text) {
  if (text.size() >= 2 && text.front() == '[' && text.back() == ']')
    text = text.substr(1, text.size() - 2);
  if (text.empty() || text.size() > 45)
    return std::nullopt;
  const std::string s(text);
  std::array<std::uint8_t, 16> out{};
  in_addr v4{};
  if (inet_pton(AF_INET, s.c_str(), &v4) == 1) {
    out[10] = 0xff;
    out[11] = 0xff;
    const auto* b = reinterpret_cast<const std::uint8_t*>(&v4.s_addr);
    std::copy(b, b + 4, out.begin() + 12);
    return out;
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, s.c_str(), &v6) == 1) {
    std::copy(v6.s6_addr, v6.s6_addr + 16, out.begin());
    return out;
  }
  return std::nullopt;
}

std::optional<Cidr> Cidr::parse(std::string_view text) {
  const auto slash = text.find('/');
  if (slash == std::string_view::npos)
    return std::nullopt;
  const std::string_view address = text.substr(0, slash);
  const std::string_view bits_text = text.substr(slash + 1);
  int bits = -1;
  const auto [end, ec] =
      std::from_chars(bits_text.data(), bits_text.data() + bits_text.size(), bits);
  if (ec != std::errc{} || end != bits_text.data() + bits_text.size() || bits_text.empty())
    return std::nullopt;
  const bool v4 = address.find(':') == std::string_view::npos;
  if (bits < 0 || bits > (v4 ? 32 : 128))
    return std::nullopt;
  auto bytes = parse_ip(address);
  if (!bytes)
    return std::nullopt;
  Cidr out;
  out.bytes_ = *bytes;
  out.prefix_bits_ = v4 ? 96 + bits : bits;
  return out;
}

bool Cidr::contains(std::string_view address) const {
  const auto ip = parse_ip(address);
  if (!ip)
    return false;
  int bits = prefix_bits_;
  for (std::size_t i = 0; i < 16 && bits > 0; ++i, bits -= 8) {
    const auto mask = static_cast<std::uint8_t>(bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff);
    if (((*ip)[i] & mask) != (bytes_[i] & mask))
      return false;
  }
  return true;
}

}  // namespace mysfits::ingress
