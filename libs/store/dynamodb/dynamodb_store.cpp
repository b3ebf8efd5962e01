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

// A transaction of one Update with a token of its own: however often the client sends it,
// DynamoDB applies it once (within 10 minutes; our deadline is seconds).
boost::json::object one_update(boost::json::object update) {
  return {{"TransactItems", boost::json::array{boost::json::object{{"Update", std::move(update)}}}},
          {"ClientRequestToken", new_request_token()}};
}

// The reason a cancelled one-Update transaction failed its condition, or null when it failed
// otherwise.
const CancellationReason* failed_condition(const Reply& reply) {
  for (const auto& reason : reply.cancellation_reasons) {
    if (reason.code == "ConditionalCheckFailed")
      return &reason;
  }
  return nullptr;
}

}  // namespace

struct DynamoDbStore::Listing {
  boost::json::object request;
  std::string operation;  // "Scan" or "Query"
  std::vector<Mysfit> mysfits;
  Callback<std::vector<Mysfit>> done;
};

DynamoDbStore::DynamoDbStore(StoreSettings settings, std::unique_ptr<credentials::Chain> chain)
    : settings_(std::move(settings)),
      chain_(std::move(chain)),
      likes_([this](const std::string& id, std::int64_t count, Callback<std::int64_t> done) {
        add_likes(id, count, std::move(done));
      }) {}

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
  likes_.like(id, std::move(done));
}

void DynamoDbStore::add_likes(const std::string& id, std::int64_t count,
                              Callback<std::int64_t> done) {
  boost::json::object update{
      {"TableName", settings_.table},
      {"Key", item_key(id)},
      // ADD is atomic on the server and treats a missing Likes as 0.
      {"UpdateExpression", "ADD Likes :n"},
      {"ConditionExpression", kExists},
      {"ExpressionAttributeValues", {{":n", {{"N", std::to_string(count)}}}}}};
  client_->call("TransactWriteItems", one_update(std::move(update)),
                [this, id, done = std::move(done)](Reply reply) {
                  if (!reply.result)
                    done(failed_condition(reply) ? not_found(id) : reply.result.error());
                  else
                    read_likes(id, done);
                });
}

// A transaction returns no values: the count comes from a consistent read right after it.
// LikeBatcher starts the mysfit's next write only when this returns, so no other write of this
// process lands in between; another pod's may, and the count then includes it (never less
// than the write produced).
void DynamoDbStore::read_likes(const std::string& id, Callback<std::int64_t> done) {
  boost::json::object request{{"TableName", settings_.table},
                              {"Key", item_key(id)},
                              {"ConsistentRead", true},
                              {"ProjectionExpression", "Likes"}};
  client_->call("GetItem", std::move(request), [id, done = std::move(done)](Reply reply) {
    if (!reply.result) {
      core::Error error = reply.result.error();
      error.message = "the likes were stored, their count could not be read: " + error.message;
      done(std::move(error));
      return;
    }
    auto* item = reply.result->if_contains("Item");
    auto* likes = item && item->is_object() ? item->get_object().if_contains("Likes") : nullptr;
    done(number_attribute(likes, "Likes"));
  });
}

void DynamoDbStore::adopt(const std::string& id, Callback<core::Unit> done) {
  boost::json::object update{
      {"TableName", settings_.table},
      {"Key", item_key(id)},
      {"UpdateExpression", "SET Adopted = :adopted"},
      {"ConditionExpression",
       std::string(kExists) + " AND (attribute_not_exists(Adopted) OR Adopted = :free)"},
      {"ExpressionAttributeValues", {{":adopted", {{"BOOL", true}}}, {":free", {{"BOOL", false}}}}},
      // Items are never deleted or un-adopted: with the item as it was, a failed condition
      // tells exactly which part failed.
      {"ReturnValuesOnConditionCheckFailure", "ALL_OLD"}};
  client_->call(
      "TransactWriteItems", one_update(std::move(update)),
      [id, done = std::move(done)](Reply reply) {
        if (reply.result) {
          done(core::Unit{});
          return;
        }
        const CancellationReason* failed = failed_condition(reply);
        if (failed == nullptr)
          done(reply.result.error());
        else if (!failed->item)
          done(not_found(id));
        else
          done(core::Error{core::Errc::kConflict, "mysfit " + id + " is already adopted"});
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
