#include "store/dynamodb/dynamodb_store.hpp"

#include <utility>

#include "store/dynamodb/item_codec.hpp"

namespace mysfits::store::dynamodb {
namespace {

boost::json::object string_value(const std::string& text) {
  return {{"S", text}};
}

core::Error not_found(const std::string& id) {
  return {core::Errc::kNotFound, "no mysfit with id " + id};
}

// "attribute_exists(MysfitId)" on every update: DynamoDB would otherwise create an item for
// an unknown id (the original crashed with a 500 instead; we answer 404).
constexpr const char* kExists = "attribute_exists(MysfitId)";

}  // namespace

struct DynamoDbStore::Listing {
  boost::json::object request;
  std::string operation;  // "Scan" or "Query"
  std::vector<Mysfit> mysfits;
  Callback<std::vector<Mysfit>> done;
};

DynamoDbStore::DynamoDbStore(StoreSettings settings, std::unique_ptr<credentials::Chain> chain)
    : settings_(std::move(settings)), chain_(std::move(chain)) {}

core::Result<std::unique_ptr<DynamoDbStore>> DynamoDbStore::create(
    StoreSettings settings, std::unique_ptr<credentials::Chain> chain) {
  if (!is_valid_table_name(settings.table))
    return core::Error{core::Errc::kBadRequest,
                       "DDB_TABLE_NAME '" + settings.table +
                           "' is not a DynamoDB table name (3 to 255 of A-Z a-z 0-9 _ - .)"};
  std::unique_ptr<DynamoDbStore> store(new DynamoDbStore(std::move(settings), std::move(chain)));
  auto client = DynamoDbClient::create(store->settings_.client, *store->chain_);
  if (!client)
    return client.error();
  store->client_ = std::move(*client);
  return store;
}

void DynamoDbStore::list(std::optional<Filter> filter, Callback<std::vector<Mysfit>> done) {
  if (filter && !is_valid_utf8(filter->value)) {
    done(std::vector<Mysfit>{});
    return;
  }
  auto listing = std::make_shared<Listing>();
  listing->done = std::move(done);
  listing->request["TableName"] = settings_.table;
  if (settings_.page_limit > 0)
    listing->request["Limit"] = settings_.page_limit;
  if (!filter) {
    listing->operation = "Scan";
  } else {
    // The index name comes from our enum, never from the user's text (the original put the
    // query string straight into IndexName).
    const char* attribute = filter->field == FilterField::kGoodEvil ? "GoodEvil" : "LawChaos";
    listing->operation = "Query";
    listing->request["IndexName"] = std::string(attribute) + "Index";
    listing->request["KeyConditionExpression"] = "#field = :value";
    listing->request["ExpressionAttributeNames"] = {{"#field", attribute}};
    listing->request["ExpressionAttributeValues"] = {{":value", string_value(filter->value)}};
  }
  next_page(std::move(listing));
}

void DynamoDbStore::next_page(std::shared_ptr<Listing> listing) {
  client_->call(listing->operation, listing->request, [this, listing](Reply reply) {
    if (!reply.result) {
      listing->done(reply.result.error());
      return;
    }
    boost::json::object& page = *reply.result;
    if (auto* items = page.if_contains("Items"); items && items->is_array()) {
      for (const auto& item : items->get_array()) {
        if (!item.is_object()) {
          listing->done(core::Error{core::Errc::kBadGateway, "DynamoDB returned a non-item"});
          return;
        }
        auto mysfit = item_to_mysfit(item.get_object());
        if (!mysfit) {
          listing->done(mysfit.error());
          return;
        }
        listing->mysfits.push_back(std::move(*mysfit));
      }
    }
    if (auto* last = page.if_contains("LastEvaluatedKey"); last && last->is_object()) {
      listing->request["ExclusiveStartKey"] = std::move(*last);
      next_page(listing);
      return;
    }
    sort_for_listing(listing->mysfits);
    listing->done(std::move(listing->mysfits));
  });
}

void DynamoDbStore::get(const std::string& id, Callback<Mysfit> done) {
  boost::json::object request{{"TableName", settings_.table},
                              {"Key", item_key(id)},
                              // A like must show on the profile read right after it.
                              {"ConsistentRead", true}};
  client_->call("GetItem", std::move(request), [id, done = std::move(done)](Reply reply) {
    if (!reply.result) {
      done(reply.result.error());
      return;
    }
    auto* item = reply.result->if_contains("Item");
    if (item == nullptr || !item->is_object()) {
      done(not_found(id));
      return;
    }
    done(item_to_mysfit(item->get_object()));
  });
}

void DynamoDbStore::like(const std::string& id, Callback<std::int64_t> done) {
  boost::json::object request{{"TableName", settings_.table},
                              {"Key", item_key(id)},
                              // ADD is atomic on the server and treats a missing Likes as 0.
                              {"UpdateExpression", "ADD Likes :one"},
                              {"ConditionExpression", kExists},
                              {"ExpressionAttributeValues", {{":one", {{"N", "1"}}}}},
                              {"ReturnValues", "UPDATED_NEW"}};
  client_->call("UpdateItem", std::move(request), [id, done = std::move(done)](Reply reply) {
    if (!reply.result) {
      if (reply.error_type == "ConditionalCheckFailedException")
        done(not_found(id));
      else
        done(reply.result.error());
      return;
    }
    auto* attributes = reply.result->if_contains("Attributes");
    auto* likes = attributes && attributes->is_object()
                      ? attributes->get_object().if_contains("Likes")
                      : nullptr;
    done(number_attribute(likes, "Likes"));
  });
}

void DynamoDbStore::adopt(const std::string& id, Callback<core::Unit> done) {
  boost::json::object request{
      {"TableName", settings_.table},
      {"Key", item_key(id)},
      {"UpdateExpression", "SET Adopted = :adopted"},
      {"ConditionExpression",
       std::string(kExists) + " AND (attribute_not_exists(Adopted) OR Adopted = :free)"},
      {"ExpressionAttributeValues",
       {{":adopted", {{"BOOL", true}}}, {":free", {{"BOOL", false}}}}}};
  client_->call("UpdateItem", std::move(request), [this, id, done = std::move(done)](Reply reply) {
    if (reply.result) {
      done(core::Unit{});
      return;
    }
    if (reply.error_type != "ConditionalCheckFailedException") {
      done(reply.result.error());
      return;
    }
    // The condition failed: no such mysfit, or it is adopted already. Items are never deleted
    // and never un-adopted, so a consistent read now tells which, exactly.
    get(id, [id, done](core::Result<Mysfit> mysfit) {
      if (!mysfit)
        done(mysfit.error());
      else
        done(core::Error{core::Errc::kConflict, "mysfit " + id + " is already adopted"});
    });
  });
}

void DynamoDbStore::ping(Callback<core::Unit> done) {
  // A key read touches the table with the same rights the API uses (the workshop's role may
  // not allow DescribeTable); a missing item is a fine answer.
  boost::json::object request{{"TableName", settings_.table},
                              {"Key", item_key("readiness-probe")},
                              {"ProjectionExpression", "MysfitId"}};
  client_->call("GetItem", std::move(request), [done = std::move(done)](Reply reply) {
    if (!reply.result)
      done(reply.result.error());
    else
      done(core::Unit{});
  });
}

}  // namespace mysfits::store::dynamodb
