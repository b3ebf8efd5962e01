#pragma once

#include <memory>
#include <string>

#include "store/dynamodb/credentials/chain.hpp"
#include "store/dynamodb/dynamodb_client.hpp"
#include "store/like_batcher.hpp"
#include "store/store.hpp"

namespace mysfits::store::dynamodb {

struct StoreSettings {
  std::string table;
  ClientSettings client;
  // Items per Scan/Query page (DynamoDB's Limit); 0 leaves it to DynamoDB's 1 MB pages. Tests
  // set it small to prove that every page is followed.
  int page_limit = 0;
};

// The monolith's store on the lab's table: list = Scan, filter = Query on GoodEvilIndex /
// LawChaosIndex, both following LastEvaluatedKey and sorted like every store (name, then id);
// get = GetItem. Writes are exactly once even when DynamoDB's answer is lost
// (docs/decisions/0010-exactly-once-writes-and-coalesced-likes.md): each is a TransactWriteItems
// of one Update with a fresh ClientRequestToken, so the client may send it again after a 5xx,
// a timeout or a reset and DynamoDB applies it once. like: the likes of one mysfit that arrive
// while a write of its likes is under way go together in the next (LikeBatcher), one
// `ADD Likes :n`, then a consistent read of the count that write produced. adopt: SET Adopted
// on condition that it exists and is not adopted; a failed condition returns the old item,
// which tells 404 from 409. Calls complete on the calling thread's io_context (DynamoDbClient).
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
  // One write of `count` likes, then the count it produced: LikeBatcher's writer.
  void add_likes(const std::string& id, std::int64_t count, Callback<std::int64_t> done);
  void read_likes(const std::string& id, Callback<std::int64_t> done);

  StoreSettings settings_;
  std::unique_ptr<credentials::Chain> chain_;
  std::unique_ptr<DynamoDbClient> client_;
  LikeBatcher likes_;
};

}  // namespace mysfits::store::dynamodb
