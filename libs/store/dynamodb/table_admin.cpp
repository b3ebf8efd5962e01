#include "store/dynamodb/table_admin.hpp"

#include <boost/json/array.hpp>
#include <thread>

#include "store/dynamodb/item_codec.hpp"
#include "store/mysfit.hpp"

namespace mysfits::store::dynamodb {
namespace {

boost::json::object key_attribute(const char* name, const char* type) {
  return {{"AttributeName", name}, {"KeyType", type}};
}

boost::json::object index(const char* hash) {
  return {{"IndexName", std::string(hash) + "Index"},
          {"KeySchema",
           boost::json::array{key_attribute(hash, "HASH"), key_attribute("MysfitId", "RANGE")}},
          {"Projection", {{"ProjectionType", "ALL"}}}};
}

boost::json::object create_table_request(const std::string& table) {
  boost::json::array attributes;
  for (const char* name : {"MysfitId", "GoodEvil", "LawChaos"})
    attributes.push_back(boost::json::object{{"AttributeName", name}, {"AttributeType", "S"}});
  return {{"TableName", table},
          {"AttributeDefinitions", std::move(attributes)},
          {"KeySchema", boost::json::array{key_attribute("MysfitId", "HASH")}},
          {"GlobalSecondaryIndexes", boost::json::array{index("GoodEvil"), index("LawChaos")}},
          {"BillingMode", "PAY_PER_REQUEST"}};
}

// "ACTIVE" when the table and all of its indexes are, else the first status that is not
// (the table's, then the indexes').
std::string_view overall_status(const boost::json::object& description) {
  auto status_of = [](const boost::json::object& object, const char* key) -> std::string_view {
    auto* value = object.if_contains(key);
    return value && value->is_string() ? std::string_view(value->get_string()) : "UNKNOWN";
  };
  auto* table = description.if_contains("Table");
  if (table == nullptr || !table->is_object())
    return "UNKNOWN";
  std::string_view status = status_of(table->get_object(), "TableStatus");
  if (status != "ACTIVE")
    return status;
  if (auto* indexes = table->get_object().if_contains("GlobalSecondaryIndexes");
      indexes && indexes->is_array()) {
    for (const auto& gsi : indexes->get_array()) {
      if (!gsi.is_object())
        continue;
      std::string_view index_status = status_of(gsi.get_object(), "IndexStatus");
      if (index_status != "ACTIVE")
        return index_status;
    }
  }
  return status;
}

}  // namespace

core::Result<bool> ensure_table(DynamoDbClient& client, const std::string& table,
                                const Progress& progress) {
  Reply described = client.call_blocking("DescribeTable", {{"TableName", table}});
  if (described.result) {
    progress("table " + table + " exists");
    return false;
  }
  if (described.error_type != "ResourceNotFoundException")
    return described.result.error();
  progress("creating table " + table + " with GoodEvilIndex and LawChaosIndex (on-demand)");
  // Sent again after a lost answer, it finds the table it made: that is as good, like another
  // seed having created it in between.
  Reply created = client.call_blocking("CreateTable", create_table_request(table), Repeat::kSafe);
  if (!created.result && created.error_type != "ResourceInUseException")
    return created.result.error();
  return true;
}

core::Result<core::Unit> wait_until_active(DynamoDbClient& client, const std::string& table,
                                           std::chrono::milliseconds timeout,
                                           const Progress& progress) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  std::string last;
  for (;;) {
    Reply described = client.call_blocking("DescribeTable", {{"TableName", table}});
    if (!described.result)
      return described.result.error();
    std::string status(overall_status(*described.result));
    if (status == "ACTIVE") {
      progress("table " + table + " is ACTIVE");
      return core::Unit{};
    }
    if (status != last)
      progress("waiting for table " + table + ": " + status);
    if (std::chrono::steady_clock::now() > deadline)
      return core::Error{core::Errc::kTimeout, "table " + table + " is still " + status +
                                                   " after " +
                                                   std::to_string(timeout.count() / 1000) + " s"};
    last = std::move(status);
    // A tool polling a control-plane status, not a test synchronising.
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
}

core::Result<LoadReport> load_catalog(DynamoDbClient& client, const std::string& table,
                                      const Progress& progress) {
  LoadReport report;
  const auto& mysfits = catalog();
  for (std::size_t i = 0; i < mysfits.size(); ++i) {
    const Mysfit& m = mysfits[i];
    // Safe to repeat: it never overwrites, so a second one finds the item and changes nothing.
    Reply put = client.call_blocking("PutItem",
                                     {{"TableName", table},
                                      {"Item", mysfit_to_item(m)},
                                      {"ConditionExpression", "attribute_not_exists(MysfitId)"}},
                                     Repeat::kSafe);
    std::string position =
        "[" + std::to_string(i + 1) + "/" + std::to_string(mysfits.size()) + "] ";
    if (put.result) {
      ++report.added;
      progress(position + "added " + m.name + " (" + m.id + ")");
    } else if (put.error_type == "ConditionalCheckFailedException") {
      ++report.present;
      progress(position + "kept " + m.name + " (already there: likes and adoption untouched)");
    } else {
      return put.result.error();
    }
  }
  return report;
}

}  // namespace mysfits::store::dynamodb
