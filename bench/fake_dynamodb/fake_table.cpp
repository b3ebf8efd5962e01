#include "fake_dynamodb/fake_table.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <optional>

#include "fake_dynamodb/expression.hpp"
#include "store/dynamodb/item_codec.hpp"

namespace mysfits::bench {
namespace {

namespace json = boost::json;

constexpr const char* kKey = "MysfitId";

FakeAnswer error(std::string_view type, std::string_view message) {
  return {400, json::serialize(
                   json::object{{"__type", "com.amazonaws.dynamodb.v20120810#" + std::string(type)},
                                {"message", message}})};
}

FakeAnswer validation(std::string_view message) {
  return error("ValidationException", message);
}

FakeAnswer ok(const json::object& body) {
  return {200, json::serialize(body)};
}

std::string_view string_field(const json::object& object, std::string_view name) {
  const auto* value = object.if_contains(name);
  return value && value->is_string() ? std::string_view(value->get_string()) : std::string_view();
}

// The id in {"MysfitId": {"S": id}}, or nothing when the key is not exactly that.
std::optional<std::string> key_of(const json::value* key) {
  const auto* object = key ? key->if_object() : nullptr;
  if (object == nullptr || object->size() != 1)
    return std::nullopt;
  const auto* attribute = object->if_contains(kKey);
  const auto* typed = attribute ? attribute->if_object() : nullptr;
  const auto* id = typed ? typed->if_contains("S") : nullptr;
  if (id == nullptr || !id->is_string() || typed->size() != 1)
    return std::nullopt;
  return std::string(id->get_string());
}

// The item with only the attributes a ProjectionExpression ("A, #b") names.
std::variant<json::object, std::string> project(const json::object& item,
                                                const json::object& request) {
  std::string_view projection = string_field(request, "ProjectionExpression");
  if (projection.empty())
    return item;
  Placeholders placeholders = Placeholders::of(request);
  json::object projected;
  while (!projection.empty()) {
    auto comma = projection.find(',');
    std::string_view name = projection.substr(0, comma);
    while (!name.empty() && name.front() == ' ')
      name.remove_prefix(1);
    while (!name.empty() && name.back() == ' ')
      name.remove_suffix(1);
    std::string attribute(name);
    if (name.starts_with("#")) {
      const auto* found = placeholders.names ? placeholders.names->if_contains(name) : nullptr;
      if (found == nullptr || !found->is_string())
        return "undefined attribute name placeholder " + attribute;
      attribute = found->get_string();
    }
    if (const auto* value = item.if_contains(attribute))
      projected[attribute] = *value;
    projection =
        comma == std::string_view::npos ? std::string_view() : projection.substr(comma + 1);
  }
  return projected;
}

// One Update checked and applied to a copy of its item, not yet stored.
struct StagedUpdate {
  std::string id;
  const json::object* stored = nullptr;  // the item as it is, or null when there is none
  json::object updated;
  bool failed = false;  // the ConditionExpression does not hold: nothing is to be written
};

// Checks an Update's ConditionExpression against the stored item and applies its
// UpdateExpression to a copy; an error answer when the request is not one this fake takes.
// Like DynamoDB, an update of a missing item starts from its key alone.
std::variant<StagedUpdate, FakeAnswer> stage_update(
    const json::object& update, const std::map<std::string, json::object>& items) {
  StagedUpdate staged;
  auto id = key_of(update.if_contains("Key"));
  if (!id)
    return validation("The provided key element does not match the schema");
  staged.id = std::move(*id);
  auto found = items.find(staged.id);
  staged.stored = found != items.end() ? &found->second : nullptr;
  Placeholders placeholders = Placeholders::of(update);
  if (std::string_view condition = string_field(update, "ConditionExpression");
      !condition.empty()) {
    const json::object nothing;
    auto holds =
        evaluate_condition(condition, staged.stored ? *staged.stored : nothing, placeholders);
    if (auto* message = std::get_if<std::string>(&holds))
      return validation(*message);
    staged.failed = !std::get<bool>(holds);
  }
  std::string_view expression = string_field(update, "UpdateExpression");
  if (expression.empty())
    return validation("UpdateExpression is required by this fake");
  staged.updated = staged.stored ? *staged.stored : json::object{{kKey, {{"S", staged.id}}}};
  if (auto message = apply_update(expression, staged.updated, placeholders); !message.empty())
    return validation(message);
  return staged;
}

}  // namespace

FakeTable::FakeTable(std::string table_name, const std::vector<store::Mysfit>& mysfits)
    : table_name_(std::move(table_name)) {
  for (const auto& mysfit : mysfits)
    items_[mysfit.id] = store::dynamodb::mysfit_to_item(mysfit);
}

FakeAnswer FakeTable::handle(std::string_view operation, std::string_view body) {
  boost::system::error_code ec;
  json::value parsed = json::parse(body, ec);
  if (ec || !parsed.is_object())
    return error("SerializationException", "the request body is not a JSON object");
  const json::object& request = parsed.get_object();
  if (operation == "TransactWriteItems")
    return transact_write_items(request);
  if (string_field(request, "TableName") != table_name_)
    return error("ResourceNotFoundException", "Requested resource not found");
  std::lock_guard lock(mutex_);
  if (operation == "GetItem")
    return get_item(request);
  if (operation == "UpdateItem")
    return update_item(request);
  if (operation == "Query" || operation == "Scan")
    return list_items(request, operation == "Query");
  return error("UnknownOperationException", "this fake does not know " + std::string(operation));
}

FakeAnswer FakeTable::get_item(const json::object& request) {
  auto id = key_of(request.if_contains("Key"));
  if (!id)
    return validation("The provided key element does not match the schema");
  auto found = items_.find(*id);
  if (found == items_.end())
    return ok({});
  auto item = project(found->second, request);
  if (auto* message = std::get_if<std::string>(&item))
    return validation(*message);
  return ok({{"Item", std::move(std::get<json::object>(item))}});
}

FakeAnswer FakeTable::update_item(const json::object& request) {
  auto staged = stage_update(request, items_);
  if (auto* refused = std::get_if<FakeAnswer>(&staged))
    return *refused;
  auto& update = std::get<StagedUpdate>(staged);
  if (update.failed)
    return error("ConditionalCheckFailedException", "The conditional request failed");
  items_[update.id] = update.updated;
  if (string_field(request, "ReturnValues") == "ALL_NEW")
    return ok({{"Attributes", std::move(update.updated)}});
  return ok({});
}

FakeAnswer FakeTable::transact_write_items(const json::object& request) {
  const auto* listed = request.if_contains("TransactItems");
  if (listed == nullptr || !listed->is_array() || listed->get_array().empty())
    return validation("TransactItems must hold 1 to 100 actions");
  std::lock_guard lock(mutex_);
  // All conditions are checked before anything is written: all of it or none of it.
  std::vector<std::pair<std::string, json::object>> writes;
  json::array reasons;
  bool cancelled = false;
  for (const auto& entry : listed->get_array()) {
    const auto* action = entry.if_object();
    const auto* update = action && action->size() == 1 ? action->if_contains("Update") : nullptr;
    if (update == nullptr || !update->is_object())
      return validation("this fake takes only Update actions in TransactItems");
    const json::object& fields = update->get_object();
    if (string_field(fields, "TableName") != table_name_)
      return error("ResourceNotFoundException", "Requested resource not found");
    auto staged = stage_update(fields, items_);
    if (auto* refused = std::get_if<FakeAnswer>(&staged))
      return *refused;
    auto& write = std::get<StagedUpdate>(staged);
    json::object reason{{"Code", write.failed ? "ConditionalCheckFailed" : "None"}};
    if (write.failed) {
      reason["Message"] = "The conditional request failed";
      if (string_field(fields, "ReturnValuesOnConditionCheckFailure") == "ALL_OLD" && write.stored)
        reason["Item"] = *write.stored;
    }
    cancelled |= write.failed;
    reasons.push_back(std::move(reason));
    writes.emplace_back(std::move(write.id), std::move(write.updated));
  }
  if (cancelled) {
    return {400, json::serialize(json::object{
                     {"__type", "com.amazonaws.dynamodb.v20120810#TransactionCanceledException"},
                     {"message",
                      "Transaction cancelled, please refer cancellation reasons for "
                      "specific reasons"},
                     {"CancellationReasons", std::move(reasons)}})};
  }
  for (auto& [id, item] : writes)
    items_[id] = std::move(item);
  return ok({});
}

FakeAnswer FakeTable::list_items(const json::object& request, bool query) {
  std::string_view index = string_field(request, "IndexName");
  if (!index.empty() && index != "GoodEvilIndex" && index != "LawChaosIndex")
    return validation("The table does not have the specified index: " + std::string(index));
  std::string_view condition =
      string_field(request, query ? "KeyConditionExpression" : "FilterExpression");
  if (query && condition.empty())
    return validation("Query needs a KeyConditionExpression");
  std::int64_t limit = 0;
  if (const auto* value = request.if_contains("Limit")) {
    if (!value->is_int64() || value->get_int64() < 1)
      return validation("Limit must be at least 1");
    limit = value->get_int64();
  }
  auto start = items_.begin();
  // ExclusiveStartKey names the last item of the previous page by its key (and, for an index,
  // the index's hash key too): the next page starts after that id.
  if (const auto* exclusive = request.if_contains("ExclusiveStartKey")) {
    const auto* key = exclusive->if_object();
    const auto* attribute = key ? key->if_contains(kKey) : nullptr;
    json::value only_key = attribute ? json::object{{kKey, *attribute}} : json::object{};
    auto id = key_of(&only_key);
    if (!id)
      return validation("ExclusiveStartKey must name MysfitId");
    start = items_.upper_bound(*id);
  }
  Placeholders placeholders = Placeholders::of(request);
  json::array items;
  std::int64_t scanned = 0;
  json::object last_key;
  const json::object* last_scanned = nullptr;
  for (auto it = start; it != items_.end(); ++it) {
    const json::object& item = it->second;
    if (!index.empty() && !item.contains(index.substr(0, index.size() - 5)))
      continue;  // an index holds only the items that have its hash key
    if (limit > 0 && scanned == limit) {
      // More remain: the page ends at the last item it evaluated.
      last_key = {{kKey, last_scanned->at(kKey)}};
      break;
    }
    ++scanned;
    last_scanned = &item;
    if (!condition.empty()) {
      auto holds = evaluate_condition(condition, item, placeholders);
      if (auto* message = std::get_if<std::string>(&holds))
        return validation(*message);
      if (!std::get<bool>(holds))
        continue;
    }
    items.push_back(item);
  }
  json::object answer{{"Count", items.size()}, {"ScannedCount", scanned}};
  answer["Items"] = std::move(items);
  if (!last_key.empty())
    answer["LastEvaluatedKey"] = std::move(last_key);
  return ok(answer);
}

}  // namespace mysfits::bench
