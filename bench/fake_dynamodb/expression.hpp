#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <string_view>
#include <variant>

// The slice of DynamoDB's expression language the mysfits store sends, for the fake endpoint:
// conditions (and key conditions, and filters) made of attribute_exists(a),
// attribute_not_exists(a), a = :v, AND, OR and parentheses; update expressions made of
// SET a = :v[, ...] and ADD a :n[, ...]. Names may be #placeholders, values are :placeholders.
// Anything else is an error, so the fake refuses a request it does not understand instead of
// answering it wrongly.
namespace mysfits::bench {

// The placeholders of one request (ExpressionAttributeNames and ExpressionAttributeValues).
struct Placeholders {
  const boost::json::object* names = nullptr;
  const boost::json::object* values = nullptr;

  static Placeholders of(const boost::json::object& request);
};

using Item = boost::json::object;

// Whether item satisfies condition; a string is the ValidationException's message.
std::variant<bool, std::string> evaluate_condition(std::string_view condition, const Item& item,
                                                   const Placeholders& placeholders);

// Applies an update expression to item; returns the ValidationException's message, or empty.
std::string apply_update(std::string_view update, Item& item, const Placeholders& placeholders);

}  // namespace mysfits::bench
