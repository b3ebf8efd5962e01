#include "store/dynamodb/error_body.hpp"

#include <boost/json/parse.hpp>

#include "store/dynamodb/retry_policy.hpp"

namespace mysfits::store::dynamodb {
namespace {

std::vector<CancellationReason> reasons_of(const boost::json::value* listed,
                                           std::string_view message) {
  std::vector<CancellationReason> reasons;
  if (listed != nullptr && listed->is_array()) {
    for (const auto& entry : listed->get_array()) {
      const auto* object = entry.if_object();
      if (object == nullptr)
        continue;
      CancellationReason reason;
      if (const auto* code = object->if_contains("Code"); code && code->is_string())
        reason.code = std::string(code->get_string());
      if (const auto* text = object->if_contains("Message"); text && text->is_string())
        reason.message = std::string(text->get_string());
      if (const auto* item = object->if_contains("Item"); item && item->is_object())
        reason.item = item->get_object();
      reasons.push_back(std::move(reason));
    }
    return reasons;
  }
  auto open = message.rfind('[');
  auto close = message.rfind(']');
  if (open == std::string_view::npos || close == std::string_view::npos || close < open)
    return reasons;
  std::string_view list = message.substr(open + 1, close - open - 1);
  while (!list.empty()) {
    auto comma = list.find(',');
    std::string_view code = list.substr(0, comma);
    while (!code.empty() && code.front() == ' ')
      code.remove_prefix(1);
    reasons.push_back({std::string(code), "", std::nullopt});
    list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
  }
  return reasons;
}

}  // namespace

ErrorBody parse_error_body(std::string_view body) {
  ErrorBody out;
  boost::system::error_code ec;
  boost::json::value doc = boost::json::parse(body, ec);
  const boost::json::object* object = ec ? nullptr : doc.if_object();
  if (object == nullptr)
    return out;
  if (auto* type = object->if_contains("__type"); type && type->is_string())
    out.type = std::string(short_error_type(type->get_string()));
  for (const char* key : {"message", "Message"}) {
    if (auto* message = object->if_contains(key); message && message->is_string())
      out.message = std::string(message->get_string());
  }
  if (out.type == "TransactionCanceledException")
    out.reasons = reasons_of(object->if_contains("CancellationReasons"), out.message);
  return out;
}

}  // namespace mysfits::store::dynamodb
