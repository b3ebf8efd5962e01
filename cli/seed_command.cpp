// `mysfits seed [--table NAME]`: the lab's load-ddb. With --table, creates the DynamoDB table
// and its two GSIs when missing, waits until they are active and adds the catalog mysfits that
// are missing; without it, does the same for the SQLite file. Re-runs never reset likes or
// adoptions.
#include <CLI/CLI.hpp>
#include <chrono>
#include <iostream>
#include <memory>
#include <string>

#include "cli/commands.hpp"
#include "store/dynamodb/environment_setup.hpp"
#include "store/dynamodb/table_admin.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace mysfits::cli {
namespace {

struct SeedOptions {
  std::string table;
  std::string db = "mysfits.db";
  int wait_seconds = 300;
};

void print(const std::string& line) {
  std::cout << "seed: " << line << std::endl;
}

int fail(const std::string& message) {
  std::cerr << "mysfits seed: " << message << '\n';
  return 1;
}

int seed_dynamodb(const SeedOptions& options) {
  namespace ddb = store::dynamodb;
  auto env = ddb::credentials::process_environment();
  ddb::ClientSettings settings = ddb::client_settings_from(env);
  // Control-plane calls (CreateTable) are slower than item calls.
  settings.deadline = std::chrono::seconds(20);
  settings.attempt_timeout = std::chrono::seconds(10);
  print("DynamoDB table " + options.table + " at " + settings.endpoint_url + " (region " +
        settings.region + ")");
  auto chain = ddb::resolved_chain(env);
  if (!chain)
    return fail(chain.error().message);
  auto client = ddb::DynamoDbClient::create(settings, **chain);
  if (!client)
    return fail(client.error().message);
  if (auto created = ddb::ensure_table(**client, options.table, print); !created)
    return fail(created.error().message);
  if (auto active = ddb::wait_until_active(**client, options.table,
                                           std::chrono::seconds(options.wait_seconds), print);
      !active)
    return fail(active.error().message);
  auto report = ddb::load_catalog(**client, options.table, print);
  if (!report)
    return fail(report.error().message);
  print("done: " + std::to_string(report->added) + " added, " + std::to_string(report->present) +
        " already there");
  return 0;
}

int seed_sqlite(const SeedOptions& options) {
  print("SQLite file " + options.db);
  auto report = store::seed_sqlite(options.db);
  if (!report)
    return fail(report.error().message);
  print("done: " + std::to_string(report->added) + " added, " + std::to_string(report->present) +
        " already there");
  return 0;
}

}  // namespace

void add_seed_command(CLI::App& app) {
  auto options = std::make_shared<SeedOptions>();
  auto* cmd = app.add_subcommand(
      "seed", "create the store when missing and load the catalog (likes and adoptions kept)");
  cmd->add_option("--table", options->table,
                  "DynamoDB table (region, endpoint and credentials from the AWS environment)");
  cmd->add_option("--db", options->db, "SQLite file, when no --table is given")
      ->envname("MYSFITS_DB");
  cmd->add_option("--wait", options->wait_seconds, "seconds to wait for the table to be ACTIVE")
      ->check(CLI::Range(1, 3600));
  cmd->callback([options] {
    set_exit_code(options->table.empty() ? seed_sqlite(*options) : seed_dynamodb(*options));
  });
}

}  // namespace mysfits::cli
