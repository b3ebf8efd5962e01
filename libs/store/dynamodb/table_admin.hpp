#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>

#include "core/result.hpp"
#include "store/dynamodb/dynamodb_client.hpp"

namespace mysfits::store::dynamodb {

// `mysfits seed --table NAME`, the lab's load-ddb done right. Blocking calls for a tool.
// progress receives one human line per step.
using Progress = std::function<void(const std::string& line)>;

// Creates the table with the lab's key schema and its two GSIs (GoodEvilIndex, LawChaosIndex;
// projection ALL; on-demand billing) when it does not exist. Returns whether it created it.
core::Result<bool> ensure_table(DynamoDbClient& client, const std::string& table,
                                const Progress& progress);

// Polls DescribeTable until the table and each of its indexes are ACTIVE, or timeout passes.
core::Result<core::Unit> wait_until_active(DynamoDbClient& client, const std::string& table,
                                           std::chrono::milliseconds timeout,
                                           const Progress& progress);

struct LoadReport {
  std::size_t added = 0;    // catalog mysfits that were missing and are now stored
  std::size_t present = 0;  // already there: left untouched (likes and adoptions kept)
};

// Puts every catalog mysfit on condition that its id is not there yet, so a re-run never
// resets likes or adoptions.
core::Result<LoadReport> load_catalog(DynamoDbClient& client, const std::string& table,
                                      const Progress& progress);

}  // namespace mysfits::store::dynamodb
