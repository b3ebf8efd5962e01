#include "services/monolith/store_factory.hpp"

#include <CLI/CLI.hpp>

#include "store/sqlite/sqlite_store.hpp"

namespace mysfits::monolith {
namespace {

// The seam for the DynamoDB store (libs/store/dynamodb/, its own issue): once it is built,
// this opens it from the table name and the AWS settings in the environment (region,
// endpoint override, credential chain), and nothing else in the monolith changes.
core::Result<std::unique_ptr<store::Store>> open_dynamodb_store(const StoreConfig& config) {
  return core::Error{core::Errc::kUnavailable,
                     "DDB_TABLE_NAME is set (" + config.dynamodb_table +
                         ") but this build has no DynamoDB store yet; unset it to use SQLite "
                         "(MYSFITS_DB)"};
}

}  // namespace

void add_store_options(CLI::App& app, StoreConfig& config) {
  app.add_option("--db", config.sqlite_path, "SQLite file, when no DynamoDB table is set")
      ->envname("MYSFITS_DB");
  app.add_option("--table", config.dynamodb_table,
                 "DynamoDB table; when set, the store is DynamoDB")
      ->envname("DDB_TABLE_NAME");
}

std::string describe(const StoreConfig& config) {
  if (!config.dynamodb_table.empty())
    return "dynamodb:" + config.dynamodb_table;
  return "sqlite:" + config.sqlite_path;
}

core::Result<std::unique_ptr<store::Store>> open_store(const StoreConfig& config) {
  if (!config.dynamodb_table.empty())
    return open_dynamodb_store(config);
  if (config.sqlite_path.empty())
    return core::Error{core::Errc::kBadRequest, "MYSFITS_DB (--db) must not be empty"};
  auto sqlite = store::SqliteStore::open(config.sqlite_path);
  if (!sqlite)
    return sqlite.error();
  return std::unique_ptr<store::Store>(std::move(sqlite.value()));
}

}  // namespace mysfits::monolith
