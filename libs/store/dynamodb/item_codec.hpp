#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "store/mysfit.hpp"

namespace mysfits::store::dynamodb {

// The lab's item shape (docs/dynamodb-table.md) in DynamoDB's attribute-value JSON:
// MysfitId, Name, Species, Description, GoodEvil, LawChaos, ThumbImageUri, ProfileImageUri (S),
// Age, Likes (N), Adopted (BOOL).

// {"MysfitId": {"S": id}}: the key of every item operation.
boost::json::object item_key(const std::string& id);

boost::json::object mysfit_to_item(const Mysfit& mysfit);

// Reads an item as the workshop's loader or ours wrote it. Likes and Adopted may be absent
// (0, false); a number written as "12.0" still reads as 12. Errors name the attribute.
core::Result<Mysfit> item_to_mysfit(const boost::json::object& item);

// DynamoDB strings are UTF-8 and DynamoDB refuses a request holding anything else; no stored
// value can equal such text, so callers answer "no match" without asking.
bool is_valid_utf8(std::string_view text);

// Table names: 3 to 255 characters of A-Z, a-z, 0-9, '_', '-' and '.'.
bool is_valid_table_name(std::string_view name);

// The integer in an {"N": "..."} attribute value.
core::Result<std::int64_t> number_attribute(const boost::json::value* value, const char* name);

}  // namespace mysfits::store::dynamodb
