#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mysfits::store {

struct Mysfit {
  std::string id;
  std::string name;
  std::string species;
  std::string description;
  std::int64_t age = 0;
  std::string good_evil;  // "Good" | "Neutral" | "Evil"
  std::string law_chaos;  // "Lawful" | "Neutral" | "Chaotic"
  std::string thumb_image_uri;
  std::string profile_image_uri;
  std::int64_t likes = 0;
  bool adopted = false;

  bool operator==(const Mysfit&) const = default;
};

enum class FilterField { kGoodEvil, kLawChaos };

struct Filter {
  FilterField field;
  std::string value;
};

// "GoodEvil" / "LawChaos" (the API's and the GSI's spelling); nullopt for anything else.
std::optional<FilterField> parse_filter_field(std::string_view text);

// 1..64 characters of [A-Za-z0-9-] (docs/api.md).
bool is_valid_mysfit_id(std::string_view id);
// What a 400 for an invalid id says (the id itself is not echoed: it may be kilobytes).
inline constexpr const char* kInvalidMysfitIdMessage =
    "a mysfit id is 1 to 64 characters of A-Z, a-z, 0-9 and '-'";

// The stable order every store returns lists in: by name, then id.
void sort_for_listing(std::vector<Mysfit>& mysfits);

// The 12 mysfits a fresh store starts with.
const std::vector<Mysfit>& catalog();

}  // namespace mysfits::store
