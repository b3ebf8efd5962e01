#include "store/mysfit.hpp"

#include <algorithm>
#include <tuple>

namespace mysfits::store {

std::optional<FilterField> parse_filter_field(std::string_view text) {
  if (text == "GoodEvil")
    return FilterField::kGoodEvil;
  if (text == "LawChaos")
    return FilterField::kLawChaos;
  return std::nullopt;
}

bool is_valid_mysfit_id(std::string_view id) {
  if (id.empty() || id.size() > 64)
    return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
  });
}

void sort_for_listing(std::vector<Mysfit>& mysfits) {
  // Byte-wise comparison, the same as SQLite's BINARY collation, so a store that sorts in SQL
  // and one that sorts here agree on every name, ASCII or not.
  std::sort(mysfits.begin(), mysfits.end(), [](const Mysfit& a, const Mysfit& b) {
    return std::tie(a.name, a.id) < std::tie(b.name, b.id);
  });
}

}  // namespace mysfits::store
