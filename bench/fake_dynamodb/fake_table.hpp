#pragma once

#include <boost/json/object.hpp>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "store/mysfit.hpp"

namespace mysfits::bench {

// What the fake endpoint answers: an HTTP status and DynamoDB's JSON body.
struct FakeAnswer {
  int status = 200;
  std::string body;
};

// The mysfits table (docs/dynamodb-table.md) in memory, for benchmarks: the operations the
// monolith sends (GetItem, UpdateItem, Query on the table or its GoodEvilIndex and LawChaosIndex,
// Scan, TransactWriteItems of Updates) with DynamoDB's request and answer shapes, Limit and
// ExclusiveStartKey paging, conditions, and DynamoDB's error bodies. Not modelled: capacity and
// throttling, transaction conflicts and ClientRequestToken replays (nothing here fails, so the
// client never repeats a write), other tables, other operations (UnknownOperationException).
// Safe to call from several threads.
class FakeTable {
 public:
  FakeTable(std::string table_name, const std::vector<store::Mysfit>& mysfits);

  // operation: the part of X-Amz-Target after "DynamoDB_20120810."; body: the request JSON.
  FakeAnswer handle(std::string_view operation, std::string_view body);

 private:
  FakeAnswer get_item(const boost::json::object& request);
  FakeAnswer update_item(const boost::json::object& request);
  FakeAnswer transact_write_items(const boost::json::object& request);
  FakeAnswer list_items(const boost::json::object& request, bool query);

  std::string table_name_;
  std::mutex mutex_;
  std::map<std::string, boost::json::object> items_;  // by MysfitId: the order pages follow
};

}  // namespace mysfits::bench
