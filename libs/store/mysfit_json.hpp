#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "store/mysfit.hpp"

namespace mysfits::store {

// The API's JSON shapes (docs/api.md), field names exactly as clients expect them.
//   Summary: mysfitId, name, species, goodevil, lawchaos, thumbImageUri (strings)
//   Profile: Summary + age (integer), description, profileImageUri (strings), likes (integer),
//            adopted (boolean)
// These are on every read's hot path, so they write straight into one pre-sized buffer instead
// of building a boost::json::value tree first; the tests parse every output with Boost.JSON.

std::string encode_summary(const Mysfit& m);
std::string encode_profile(const Mysfit& m);
// A profile in two parts, for a store that keeps the fields that never change encoded:
// encode_profile(m) == encode_profile_prefix(m) + likes and adopted appended by
// append_profile_counts.
std::string encode_profile_prefix(const Mysfit& m);
void append_profile_counts(std::string& out, std::int64_t likes, bool adopted);
// {"mysfits": [Summary...]} in the order given.
std::string encode_list(const std::vector<Mysfit>& mysfits);
// {"Update": "Success", "likes": N}
std::string encode_like_result(std::int64_t likes);
// {"Update": "Success", "adopted": true}
std::string encode_adopt_result();

// Appends s as a JSON string literal (quotes included): '"', '\\' and control characters are
// escaped, every other byte (UTF-8 included) is copied as is.
void append_json_string(std::string& out, std::string_view s);

}  // namespace mysfits::store
