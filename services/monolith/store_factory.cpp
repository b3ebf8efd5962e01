#include "services/monolith/store_factory.hpp"

#include <CLI/CLI.hpp>
#include <chrono>

#include "store/dynamodb/environment_setup.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace mysfits::monolith {
namespace {

// Region, endpoint and credentials come from the AWS environment (docs/api.md); the credential
// chain is resolved now, so a pod without usable credentials fails at start, saying what it
// tried.
core::Result<std::unique_ptr<store::Store>> open_dynamodb_store(const StoreConfig& config) {
  store::dynamodb::StoreSettings settings;
  settings.table = config.dynamodb_table;
  settings.page_limit = config.dynamodb_page_limit;
  settings.client.deadline = std::chrono::milliseconds(config.dynamodb_timeout_ms);
  // Every call the monolith makes is safe to repeat (reads, and writes as transactions with a
  // token): an attempt that hangs is given up after a third of the deadline and sent again.
  settings.client.attempt_timeout = settings.client.deadline / 3;
  auto store = store::dynamodb::open_store_from_environment(
      std::move(settings), store::dynamodb::credentials::process_environment());
  if (!store)
    return store.error();
  return std::unique_ptr<store::Store>(std::move(*store));
}

}  // namespace

void add_store_options(CLI::App& app, StoreConfig& config) {
  app.add_option("--db", config.sqlite_path, "SQLite file, when no DynamoDB table is set")
      ->envname("MYSFITS_DB");
  app.add_option("--table", config.dynamodb_table,
                 "DynamoDB table; when set, the store is DynamoDB")
      ->envname("DDB_TABLE_NAME");
  app.add_option("--ddb-timeout-ms", config.dynamodb_timeout_ms,
                 "deadline of one DynamoDB operation, retries included")
      ->envname("DDB_TIMEOUT_MS")
      ->check(CLI::Range(50, 60'000));
  app.add_option("--ddb-page-limit", config.dynamodb_page_limit,
                 "items per DynamoDB Scan/Query page (testing); 0 = DynamoDB's 1 MB pages")
      ->envname("DDB_PAGE_LIMIT")
      ->check(CLI::Range(0, 1'000));
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
