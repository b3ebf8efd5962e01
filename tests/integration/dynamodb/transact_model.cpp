#include "integration/dynamodb/transact_model.hpp"

#include <boost/json/serialize.hpp>

namespace mysfits::testing {
namespace {

namespace json = boost::json;

// The Update members an UpdateItem takes alike.
constexpr const char* kUpdateMembers[] = {"TableName",
                                          "Key",
                                          "UpdateExpression",
                                          "ConditionExpression",
                                          "ExpressionAttributeNames",
                                          "ExpressionAttributeValues"};

}  // namespace

std::string item_of(const json::object& body) {
  const auto* table = body.if_contains("TableName");
  const auto* key = body.if_contains("Key");
  if (table == nullptr || !table->is_string() || key == nullptr || !key->is_object())
    return {};
  return std::string(table->get_string()) + "\n" + json::serialize(*key);
}

std::variant<TransactWrite, std::string> parse_transact_write(const json::object& body) {
  TransactWrite write;
  if (const auto* token = body.if_contains("ClientRequestToken")) {
    if (!token->is_string() || token->get_string().empty() || token->get_string().size() > 36)
      return std::string("ClientRequestToken must be a string of 1 to 36 characters");
    write.token = std::string(token->get_string());
  }
  const auto* items = body.if_contains("TransactItems");
  if (items == nullptr || !items->is_array() || items->get_array().size() != 1 ||
      !items->get_array()[0].is_object())
    return std::string("this DynamoDB model takes exactly one TransactItems entry");
  const auto* update = items->get_array()[0].get_object().if_contains("Update");
  if (update == nullptr || !update->is_object() || items->get_array()[0].get_object().size() != 1)
    return std::string("this DynamoDB model takes only an Update in TransactItems");
  const json::object& action = update->get_object();
  write.item = item_of(action);
  if (write.item.empty() || !action.contains("UpdateExpression"))
    return std::string("an Update needs TableName, Key and UpdateExpression");
  for (const char* member : kUpdateMembers) {
    if (const auto* value = action.if_contains(member))
      write.update_item[member] = *value;
  }
  if (const auto* old = action.if_contains("ReturnValuesOnConditionCheckFailure"))
    write.old_item_on_failure = old->is_string() && old->get_string() == "ALL_OLD";
  write.read_item = {
      {"TableName", action.at("TableName")}, {"Key", action.at("Key")}, {"ConsistentRead", true}};
  write.fingerprint = json::serialize(body);
  return write;
}

TransactModel::TransactModel(std::chrono::milliseconds idempotency_window)
    : window_(idempotency_window) {}

TransactModel::Admission TransactModel::admit(const TransactWrite& write, Clock::time_point now) {
  forget_expired(now);
  if (!write.token.empty()) {
    if (auto running = running_.find(write.token); running != running_.end())
      return running->second == write.fingerprint ? Admission::kInProgress
                                                  : Admission::kParameterMismatch;
    if (auto done = succeeded_.find(write.token); done != succeeded_.end())
      return done->second.fingerprint == write.fingerprint ? Admission::kReplay
                                                           : Admission::kParameterMismatch;
  }
  if (busy_items_.contains(write.item))
    return Admission::kConflict;
  busy_items_.insert(write.item);
  if (!write.token.empty())
    running_[write.token] = write.fingerprint;
  return Admission::kApply;
}

void TransactModel::finish(const TransactWrite& write, bool applied, Clock::time_point now) {
  busy_items_.erase(write.item);
  if (write.token.empty())
    return;
  running_.erase(write.token);
  if (applied) {
    succeeded_[write.token] = Done{write.fingerprint, now};
    expiry_.emplace_back(now, write.token);
  }
}

void TransactModel::forget_expired(Clock::time_point now) {
  while (!expiry_.empty() && now - expiry_.front().first >= window_) {
    auto done = succeeded_.find(expiry_.front().second);
    // A token may have ended twice (expired, then used afresh): only its last end counts.
    if (done != succeeded_.end() && done->second.finished == expiry_.front().first)
      succeeded_.erase(done);
    expiry_.pop_front();
  }
}

std::string cancellation_body(std::string_view code, std::string_view message,
                              const json::object* item) {
  json::object reason{{"Code", code}, {"Message", message}};
  if (item != nullptr)
    reason["Item"] = *item;
  json::object body{
      {"__type", "com.amazonaws.dynamodb.v20120810#TransactionCanceledException"},
      {"Message",
       "Transaction cancelled, please refer cancellation reasons for specific reasons [" +
           std::string(code) + "]"},
      {"CancellationReasons", json::array{std::move(reason)}}};
  return json::serialize(body);
}

}  // namespace mysfits::testing
