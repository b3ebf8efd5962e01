#pragma once

#include <optional>
#include <string_view>

#include "core/result.hpp"
#include "store/mysfit.hpp"

namespace mysfits::monolith {

// The longest filter value we accept; the real ones are a few letters ("Chaotic").
inline constexpr std::size_t kMaxFilterValue = 64;

// Parses the query string of GET /mysfits (without '?'). No filter: nullopt (the whole list).
// `filter` must be GoodEvil or LawChaos and comes with a non-empty `value`; a value without a
// filter, a repeated parameter, or malformed percent-encoding is a kBadRequest. Parameters we
// do not know (cache busters and the like) are ignored.
core::Result<std::optional<store::Filter>> parse_list_query(std::string_view query);

}  // namespace mysfits::monolith
