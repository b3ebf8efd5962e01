#include "store/mysfit_json.hpp"

#include <charconv>

namespace mysfits::store {
namespace {

// Field names with their quotes, separators and colons, so each field is two appends.
constexpr std::string_view kIdKey = "{\"mysfitId\":";
constexpr std::string_view kNameKey = ",\"name\":";
constexpr std::string_view kSpeciesKey = ",\"species\":";
constexpr std::string_view kGoodEvilKey = ",\"goodevil\":";
constexpr std::string_view kLawChaosKey = ",\"lawchaos\":";
constexpr std::string_view kThumbKey = ",\"thumbImageUri\":";
constexpr std::string_view kAgeKey = ",\"age\":";
constexpr std::string_view kDescriptionKey = ",\"description\":";
constexpr std::string_view kProfileKey = ",\"profileImageUri\":";
constexpr std::string_view kLikesKey = ",\"likes\":";
constexpr std::string_view kAdoptedTrue = ",\"adopted\":true}";
constexpr std::string_view kAdoptedFalse = ",\"adopted\":false}";

// Room for the keys and punctuation of a profile; strings are added on top.
constexpr std::size_t kProfileOverhead = 192;
constexpr std::size_t kSummaryOverhead = 112;

bool needs_escape(char c) {
  return c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20;
}

void append_int(std::string& out, std::int64_t n) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, n);
  out.append(buf, end);
}

std::size_t summary_size_hint(const Mysfit& m) {
  return kSummaryOverhead + m.id.size() + m.name.size() + m.species.size() + m.good_evil.size() +
         m.law_chaos.size() + m.thumb_image_uri.size();
}

// The Summary fields, without the closing brace, so a Profile can continue the same object.
void append_summary_fields(std::string& out, const Mysfit& m) {
  out.append(kIdKey);
  append_json_string(out, m.id);
  out.append(kNameKey);
  append_json_string(out, m.name);
  out.append(kSpeciesKey);
  append_json_string(out, m.species);
  out.append(kGoodEvilKey);
  append_json_string(out, m.good_evil);
  out.append(kLawChaosKey);
  append_json_string(out, m.law_chaos);
  out.append(kThumbKey);
  append_json_string(out, m.thumb_image_uri);
}

}  // namespace

void append_json_string(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  std::size_t clean_from = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (!needs_escape(c))
      continue;
    out.append(s.data() + clean_from, i - clean_from);
    clean_from = i + 1;
    switch (c) {
      case '"':
        out.append("\\\"");
        break;
      case '\\':
        out.append("\\\\");
        break;
      case '\n':
        out.append("\\n");
        break;
      case '\r':
        out.append("\\r");
        break;
      case '\t':
        out.append("\\t");
        break;
      case '\b':
        out.append("\\b");
        break;
      case '\f':
        out.append("\\f");
        break;
      default: {
        auto u = static_cast<unsigned char>(c);
        const char esc[] = {'\\', 'u', '0', '0', kHex[u >> 4], kHex[u & 0xF]};
        out.append(esc, sizeof esc);
      }
    }
  }
  out.append(s.data() + clean_from, s.size() - clean_from);
  out.push_back('"');
}

std::string encode_summary(const Mysfit& m) {
  std::string out;
  out.reserve(summary_size_hint(m));
  append_summary_fields(out, m);
  out.push_back('}');
  return out;
}

std::string encode_profile_prefix(const Mysfit& m) {
  std::string out;
  out.reserve(kProfileOverhead + summary_size_hint(m) + m.description.size() +
              m.profile_image_uri.size());
  append_summary_fields(out, m);
  out.append(kAgeKey);
  append_int(out, m.age);
  out.append(kDescriptionKey);
  append_json_string(out, m.description);
  out.append(kProfileKey);
  append_json_string(out, m.profile_image_uri);
  return out;
}

void append_profile_counts(std::string& out, std::int64_t likes, bool adopted) {
  out.append(kLikesKey);
  append_int(out, likes);
  out.append(adopted ? kAdoptedTrue : kAdoptedFalse);
}

std::string encode_profile(const Mysfit& m) {
  std::string out = encode_profile_prefix(m);
  append_profile_counts(out, m.likes, m.adopted);
  return out;
}

std::string encode_list(const std::vector<Mysfit>& mysfits) {
  std::size_t size = 16;
  for (const auto& m : mysfits)
    size += summary_size_hint(m);
  std::string out;
  out.reserve(size);
  out.append("{\"mysfits\":[");
  for (std::size_t i = 0; i < mysfits.size(); ++i) {
    if (i != 0)
      out.push_back(',');
    append_summary_fields(out, mysfits[i]);
    out.push_back('}');
  }
  out.append("]}");
  return out;
}

std::string encode_like_result(std::int64_t likes) {
  std::string out;
  out.reserve(48);
  out.append("{\"Update\":\"Success\",\"likes\":");
  append_int(out, likes);
  out.push_back('}');
  return out;
}

std::string encode_adopt_result() {
  return "{\"Update\":\"Success\",\"adopted\":true}";
}

}  // namespace mysfits::store
