#pragma once

#include <memory>
#include <string>

#include "core/result.hpp"
#include "store/store.hpp"

namespace CLI {
class App;
}

namespace mysfits::monolith {

// Which store the monolith runs on (docs/api.md): DynamoDB when DDB_TABLE_NAME is set
// (so the workshop's manifests work unchanged), else the SQLite file MYSFITS_DB.
struct StoreConfig {
  std::string sqlite_path = "mysfits.db";  // MYSFITS_DB / --db
  std::string dynamodb_table;              // DDB_TABLE_NAME / --table
  // One DynamoDB operation, retries included, must finish within this (DDB_TIMEOUT_MS).
  int dynamodb_timeout_ms = 3'000;
  // Items per Scan/Query page; 0 = DynamoDB's 1 MB pages. Tests force small pages with it.
  int dynamodb_page_limit = 0;  // DDB_PAGE_LIMIT
};

void add_store_options(CLI::App& app, StoreConfig& config);

// One line for the start-up log: which store, which file or table.
std::string describe(const StoreConfig& config);

// Opens the configured store; the error says what to fix.
core::Result<std::unique_ptr<store::Store>> open_store(const StoreConfig& config);

}  // namespace mysfits::monolith
