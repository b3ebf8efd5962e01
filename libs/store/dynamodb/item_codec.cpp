#include "store/dynamodb/item_codec.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>

namespace mysfits::store::dynamodb {
namespace {

boost::json::object typed(const char* type, boost::json::value value) {
  boost::json::object attribute;
  attribute[type] = std::move(value);
  return attribute;
}

core::Error bad_item(const std::string& message) {
  return {core::Errc::kBadGateway, "DynamoDB item: " + message};
}

// The string of an {"S": ...} attribute; absent attributes read as empty, other types fail.
core::Result<std::string> string_attribute(const boost::json::object& item, const char* name) {
  const boost::json::value* value = item.if_contains(name);
  if (value == nullptr)
    return std::string();
  const boost::json::object* attribute = value->if_object();
  const boost::json::value* s = attribute ? attribute->if_contains("S") : nullptr;
  if (s == nullptr || !s->is_string())
    return bad_item(std::string(name) + " is not a string (S) attribute");
  return std::string(s->get_string());
}

}  // namespace

boost::json::object item_key(const std::string& id) {
  boost::json::object key;
  key["MysfitId"] = typed("S", boost::json::string(id));
  return key;
}

boost::json::object mysfit_to_item(const Mysfit& m) {
  boost::json::object item;
  item["MysfitId"] = typed("S", boost::json::string(m.id));
  item["Name"] = typed("S", boost::json::string(m.name));
  item["Species"] = typed("S", boost::json::string(m.species));
  item["Description"] = typed("S", boost::json::string(m.description));
  item["Age"] = typed("N", boost::json::string(std::to_string(m.age)));
  item["GoodEvil"] = typed("S", boost::json::string(m.good_evil));
  item["LawChaos"] = typed("S", boost::json::string(m.law_chaos));
  item["ThumbImageUri"] = typed("S", boost::json::string(m.thumb_image_uri));
  item["ProfileImageUri"] = typed("S", boost::json::string(m.profile_image_uri));
  item["Likes"] = typed("N", boost::json::string(std::to_string(m.likes)));
  item["Adopted"] = typed("BOOL", m.adopted);
  return item;
}

bool is_valid_utf8(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    auto byte = static_cast<unsigned char>(text[i]);
    std::size_t length = byte < 0x80           ? 1
                         : (byte >> 5) == 0x6  ? 2
                         : (byte >> 4) == 0xE  ? 3
                         : (byte >> 3) == 0x1E ? 4
                                               : 0;
    if (length == 0 || i + length > text.size())
      return false;
    std::uint32_t code = length == 1 ? byte : byte & (0x7F >> length);
    for (std::size_t k = 1; k < length; ++k) {
      auto next = static_cast<unsigned char>(text[i + k]);
      if ((next >> 6) != 0x2)
        return false;
      code = (code << 6) | (next & 0x3F);
    }
    // Overlong forms, surrogates and code points past U+10FFFF are not UTF-8 either.
    static constexpr std::uint32_t kMinimum[] = {0, 0, 0x80, 0x800, 0x10000};
    if (code < kMinimum[length] || (code >= 0xD800 && code <= 0xDFFF) || code > 0x10FFFF)
      return false;
    i += length;
  }
  return true;
}

bool is_valid_table_name(std::string_view name) {
  if (name.size() < 3 || name.size() > 255)
    return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-' || c == '.';
    if (!ok)
      return false;
  }
  return true;
}

core::Result<std::int64_t> number_attribute(const boost::json::value* value, const char* name) {
  const boost::json::object* attribute = value ? value->if_object() : nullptr;
  const boost::json::value* n = attribute ? attribute->if_contains("N") : nullptr;
  if (n == nullptr || !n->is_string())
    return bad_item(std::string(name) + " is not a number (N) attribute");
  std::string_view text = n->get_string();
  std::int64_t integer = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), integer);
  if (ec == std::errc() && end == text.data() + text.size())
    return integer;
  // DynamoDB numbers are decimals; the lab's loader may have written "43.0".
  char* parse_end = nullptr;
  std::string copy(text);
  double real = std::strtod(copy.c_str(), &parse_end);
  if (parse_end != copy.c_str() + copy.size() || !std::isfinite(real) || std::fabs(real) > 9e15)
    return bad_item(std::string(name) + " is not a number: " + copy);
  return static_cast<std::int64_t>(std::llround(real));
}

core::Result<Mysfit> item_to_mysfit(const boost::json::object& item) {
  Mysfit m;
  const std::pair<const char*, std::string*> strings[] = {
      {"MysfitId", &m.id},
      {"Name", &m.name},
      {"Species", &m.species},
      {"Description", &m.description},
      {"GoodEvil", &m.good_evil},
      {"LawChaos", &m.law_chaos},
      {"ThumbImageUri", &m.thumb_image_uri},
      {"ProfileImageUri", &m.profile_image_uri},
  };
  for (const auto& [name, target] : strings) {
    auto value = string_attribute(item, name);
    if (!value)
      return value.error();
    *target = std::move(*value);
  }
  if (m.id.empty())
    return bad_item("no MysfitId");
  for (const auto& [name, target] : {std::pair{"Age", &m.age}, std::pair{"Likes", &m.likes}}) {
    const boost::json::value* value = item.if_contains(name);
    if (value == nullptr)
      continue;
    auto number = number_attribute(value, name);
    if (!number)
      return number.error();
    *target = *number;
  }
  if (const boost::json::value* adopted = item.if_contains("Adopted")) {
    const boost::json::object* attribute = adopted->if_object();
    const boost::json::value* b = attribute ? attribute->if_contains("BOOL") : nullptr;
    if (b == nullptr || !b->is_bool())
      return bad_item("Adopted is not a BOOL attribute");
    m.adopted = b->get_bool();
  }
  return m;
}

}  // namespace mysfits::store::dynamodb
