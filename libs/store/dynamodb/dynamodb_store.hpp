#pragma once

#include <memory>
#include <string>

#include "store/dynamodb/credentials/chain.hpp"
#include "store/dynamodb/dynamodb_client.hpp"
#include "store/store.hpp"

namespace mysfits::store::dynamodb {

struct StoreSettings {
  std::string table;
  ClientSettings client;
  // Items per Scan/Query page (DynamoDB's Limit); 0 leaves it to DynamoDB's 1 MB pages. Tests
  // set it small to prove that every page is followed.
  int page_limit = 0;
};

// The monolith's store on the lab's table (shared/reference/dynamodb-table.md): list = Scan,
// filter = Query on GoodEvilIndex / LawChaosIndex, both following LastEvaluatedKey and sorted
// like every store (name, then id); get = GetItem; like = UpdateItem ADD Likes 1, returning the
// new count; adopt = UpdateItem SET Adopted, on condition that it is not adopted yet. Calls
// complete on the calling thread's io_context (see DynamoDbClient).
class DynamoDbStore final : public Store {
 public:
  // Owns the chain; fails when the endpoint is not a URL.
  static core::Result<std::unique_ptr<DynamoDbStore>> create(
      StoreSettings settings, std::unique_ptr<credentials::Chain> chain);

  void list(std::optional<Filter> filter, Callback<std::vector<Mysfit>> done) override;
  void get(const std::string& id, Callback<Mysfit> done) override;
  void like(const std::string& id, Callback<std::int64_t> done) override;
  void adopt(const std::string& id, Callback<core::Unit> done) override;
  void ping(Callback<core::Unit> done) override;

  DynamoDbClient& client() { return *client_; }

 private:
  struct Listing;
  DynamoDbStore(StoreSettings settings, std::unique_ptr<credentials::Chain> chain);
  void next_page(std::shared_ptr<Listing> listing);

  StoreSettings settings_;
  std::unique_ptr<credentials::Chain> chain_;
  std::unique_ptr<DynamoDbClient> client_;
};

}  // namespace mysfits::store::dynamodb
