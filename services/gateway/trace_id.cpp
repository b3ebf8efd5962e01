#include "services/gateway/trace_id.hpp"

#include <cctype>
#include <random>
#include <vector>

namespace mysfits::gateway {
namespace {

void append_hex(std::string& out, std::uint64_t value, int digits) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (int i = digits - 1; i >= 0; --i)
    out.push_back(kHex[(value >> (i * 4)) & 0xf]);
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

// Field names are compared as the ALB documents them: "Root", "Self" (any case accepted).
bool field_is(std::string_view field, std::string_view name) {
  auto eq = field.find('=');
  std::string_view key = trim(field.substr(0, eq));
  if (key.size() != name.size())
    return false;
  for (std::size_t i = 0; i < key.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(key[i])) !=
        std::tolower(static_cast<unsigned char>(name[i])))
      return false;
  }
  return true;
}

}  // namespace

std::string make_trace_id(std::time_t now, std::uint64_t random_high, std::uint32_t random_low) {
  // Room for the "Root=" forwarded_trace_header puts in front: one allocation per request.
  std::string id;
  id.reserve(40);
  id.append("1-");
  append_hex(id, static_cast<std::uint64_t>(now) & 0xffffffffULL, 8);
  id.push_back('-');
  append_hex(id, random_high, 16);
  append_hex(id, random_low, 8);
  return id;
}

std::string make_trace_id() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  const std::uint64_t high = rng();
  const auto low = static_cast<std::uint32_t>(rng());
  return make_trace_id(std::time(nullptr), high, low);
}

std::string forwarded_trace_header(std::string_view incoming, std::string new_id,
                                   bool headers_over_limit) {
  incoming = trim(incoming);
  if (incoming.empty() || headers_over_limit) {
    new_id.insert(0, "Root=");
    return new_id;
  }

  std::vector<std::string_view> fields;
  for (std::size_t start = 0; start <= incoming.size();) {
    auto end = incoming.find(';', start);
    if (end == std::string_view::npos)
      end = incoming.size();
    auto field = trim(incoming.substr(start, end - start));
    if (!field.empty())
      fields.push_back(field);
    start = end + 1;
  }
  bool has_root = false;
  bool has_self = false;
  for (auto f : fields) {
    has_root = has_root || field_is(f, "Root");
    has_self = has_self || field_is(f, "Self");
  }

  std::string out;
  if (!has_self)
    out = (has_root ? "Self=" : "Root=") + new_id;
  for (auto f : fields) {
    if (!out.empty())
      out.push_back(';');
    if (field_is(f, "Self"))
      out += "Self=" + new_id;
    else
      out.append(f);
  }
  return out;
}

}  // namespace mysfits::gateway
