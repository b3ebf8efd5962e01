// MonolithServer on DynamoDB: one emulator (dynalite behind its proxy) per test process, one table
// per data_name, seeded by `mysfits seed --table` the first time that name is used (a restart on
// the same name finds its data again).
#include <gtest/gtest.h>

#include <memory>
#include <mutex>

#include "integration/dynamodb/dynalite.hpp"
#include "integration/monolith/monolith_server.hpp"

namespace mysfits::testing {

std::map<std::string, std::string> store_environment(const std::string& data_name) {
  static std::mutex mutex;
  static std::map<std::string, std::string> tables;
  std::lock_guard lock(mutex);
  DynamoDbEmulator& dynamodb = shared_emulator();
  auto [it, added] = tables.emplace(data_name, "monolith-" + std::to_string(tables.size() + 1));
  if (added) {
    std::string output;
    EXPECT_EQ(run_seed(dynamodb.url(), it->second, &output), 0) << output;
  }
  auto env = aws_test_environment(dynamodb.url());
  env["DDB_TABLE_NAME"] = it->second;
  // Small pages, so that every listing follows LastEvaluatedKey.
  env["DDB_PAGE_LIMIT"] = "5";
  return env;
}

}  // namespace mysfits::testing
