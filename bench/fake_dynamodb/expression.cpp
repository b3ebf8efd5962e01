#include "fake_dynamodb/expression.hpp"

#include <cctype>
#include <charconv>
#include <cstdint>
#include <vector>

#include "core/ascii.hpp"

namespace mysfits::bench {
namespace {

bool is_word_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '#' || c == ':' ||
         c == '.';
}

// Words and the punctuation ( ) = , one token each; an empty list when a character is none of
// those (the caller then refuses the expression).
std::vector<std::string_view> tokenize(std::string_view text, bool& ok) {
  std::vector<std::string_view> tokens;
  ok = true;
  std::size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
    } else if (c == '(' || c == ')' || c == '=' || c == ',') {
      tokens.push_back(text.substr(i, 1));
      ++i;
    } else if (is_word_char(c)) {
      std::size_t start = i;
      while (i < text.size() && is_word_char(text[i]))
        ++i;
      tokens.push_back(text.substr(start, i - start));
    } else {
      ok = false;
      return {};
    }
  }
  return tokens;
}

class Parser {
 public:
  Parser(std::vector<std::string_view> tokens, const Placeholders& placeholders)
      : tokens_(std::move(tokens)), placeholders_(placeholders) {}

  bool done() const { return next_ == tokens_.size(); }
  const std::string& error() const { return error_; }

  std::string_view peek() const { return done() ? std::string_view() : tokens_[next_]; }
  std::string_view take() { return done() ? std::string_view() : tokens_[next_++]; }
  bool accept(std::string_view token) {
    if (!done() && core::iequals(tokens_[next_], token)) {
      ++next_;
      return true;
    }
    return false;
  }
  bool expect(std::string_view token) {
    if (accept(token))
      return true;
    fail("expected '" + std::string(token) + "' before '" + std::string(peek()) + "'");
    return false;
  }
  bool fail(std::string message) {
    if (error_.empty())
      error_ = std::move(message);
    return false;
  }

  // An attribute name: a plain word or a #placeholder.
  std::string name() {
    std::string_view token = take();
    if (token.empty() || token.front() == ':' || token == "(" || token == ")") {
      fail("expected an attribute name");
      return {};
    }
    if (token.front() != '#')
      return std::string(token);
    const auto* found = placeholders_.names ? placeholders_.names->if_contains(token) : nullptr;
    if (found == nullptr || !found->is_string()) {
      fail("undefined attribute name placeholder " + std::string(token));
      return {};
    }
    return std::string(found->get_string());
  }

  // A :placeholder's attribute value.
  const boost::json::value* value() {
    std::string_view token = take();
    const auto* found = token.starts_with(":") && placeholders_.values
                            ? placeholders_.values->if_contains(token)
                            : nullptr;
    if (found == nullptr || !found->is_object()) {
      fail("undefined attribute value placeholder " + std::string(token));
      return nullptr;
    }
    return found;
  }

  bool condition(const Item& item) {
    bool result = conjunction(item);
    while (error_.empty() && accept("OR"))
      result = conjunction(item) || result;
    return result;
  }

 private:
  bool conjunction(const Item& item) {
    bool result = term(item);
    while (error_.empty() && accept("AND"))
      result = term(item) && result;
    return result;
  }

  bool term(const Item& item) {
    if (accept("(")) {
      bool result = condition(item);
      expect(")");
      return result;
    }
    for (bool exists : {true, false}) {
      if (accept(exists ? "attribute_exists" : "attribute_not_exists")) {
        if (!expect("("))
          return false;
        bool present = item.contains(name());
        expect(")");
        return present == exists;
      }
    }
    std::string attribute = name();
    if (!expect("="))
      return false;
    const boost::json::value* wanted = value();
    const boost::json::value* actual = item.if_contains(attribute);
    return wanted && actual && *wanted == *actual;
  }

  std::vector<std::string_view> tokens_;
  std::size_t next_ = 0;
  const Placeholders& placeholders_;
  std::string error_;
};

bool parse_number(const boost::json::value& value, std::int64_t& out) {
  const auto* object = value.if_object();
  const auto* number = object ? object->if_contains("N") : nullptr;
  if (number == nullptr || !number->is_string())
    return false;
  std::string_view text = number->get_string();
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

void set_clause(Parser& parser, Item& item) {
  do {
    std::string attribute = parser.name();
    if (!parser.expect("="))
      return;
    const boost::json::value* value = parser.value();
    if (value)
      item[attribute] = *value;
  } while (parser.error().empty() && parser.accept(","));
}

void add_clause(Parser& parser, Item& item) {
  do {
    std::string attribute = parser.name();
    const boost::json::value* value = parser.value();
    if (!value)
      return;
    std::int64_t increment = 0, current = 0;
    if (!parse_number(*value, increment)) {
      parser.fail("ADD takes a number in this fake");
      return;
    }
    if (const auto* existing = item.if_contains(attribute);
        existing && !parse_number(*existing, current)) {
      parser.fail("ADD to " + attribute + ", which is not a number");
      return;
    }
    item[attribute] = {{"N", std::to_string(current + increment)}};
  } while (parser.error().empty() && parser.accept(","));
}

}  // namespace

Placeholders Placeholders::of(const boost::json::object& request) {
  Placeholders placeholders;
  if (const auto* names = request.if_contains("ExpressionAttributeNames"))
    placeholders.names = names->if_object();
  if (const auto* values = request.if_contains("ExpressionAttributeValues"))
    placeholders.values = values->if_object();
  return placeholders;
}

std::variant<bool, std::string> evaluate_condition(std::string_view condition, const Item& item,
                                                   const Placeholders& placeholders) {
  bool ok = true;
  Parser parser(tokenize(condition, ok), placeholders);
  if (!ok || parser.done())
    return "invalid condition expression: " + std::string(condition);
  bool result = parser.condition(item);
  if (parser.error().empty() && !parser.done())
    parser.fail("unexpected '" + std::string(parser.peek()) + "'");
  if (!parser.error().empty())
    return "condition " + std::string(condition) + ": " + parser.error();
  return result;
}

std::string apply_update(std::string_view update, Item& item, const Placeholders& placeholders) {
  bool ok = true;
  Parser parser(tokenize(update, ok), placeholders);
  if (!ok || parser.done())
    return "invalid update expression: " + std::string(update);
  // Applied to a copy: a clause that fails leaves the item as it was.
  Item updated = item;
  while (parser.error().empty() && !parser.done()) {
    if (parser.accept("SET"))
      set_clause(parser, updated);
    else if (parser.accept("ADD"))
      add_clause(parser, updated);
    else
      parser.fail("expected SET or ADD, found '" + std::string(parser.peek()) + "'");
  }
  if (!parser.error().empty())
    return "update " + std::string(update) + ": " + parser.error();
  item = std::move(updated);
  return {};
}

}  // namespace mysfits::bench
