#pragma once

// What the SQLite store's tests share: a fresh database path per test, raw SQL as another tool
// would run it, and synchronous wrappers around the store's inline callbacks.

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "store/sqlite/sqlite_store.hpp"

namespace mysfits::store {

// A fresh directory per test, removed afterwards.
class SqliteFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("mysfits-sqlite-" + std::to_string(::getpid()) + "-" + info->test_suite_name() + "-" +
            info->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    path_ = (dir_ / "mysfits.db").string();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::unique_ptr<SqliteStore> open() {
    auto store = SqliteStore::open(path_);
    EXPECT_TRUE(store.ok()) << (store.ok() ? "" : store.error().message);
    return store.ok() ? std::move(store.value()) : nullptr;
  }

  // Runs SQL on a separate raw connection, as another tool would.
  void raw_exec(const std::string& sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
    char* err = nullptr;
    EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err), SQLITE_OK) << err;
    sqlite3_free(err);
    sqlite3_close(db);
  }

  std::filesystem::path dir_;
  std::string path_;
};

// The store completes inline; these run a call and hand back its result.
template <class T, class Call>
core::Result<T> sync(Call call) {
  std::optional<core::Result<T>> out;
  call([&](core::Result<T> r) { out.emplace(std::move(r)); });
  EXPECT_TRUE(out.has_value()) << "callback did not run inline";
  return out ? std::move(*out) : core::Result<T>(core::Error{});
}

inline core::Result<std::vector<Mysfit>> list(Store& s, std::optional<Filter> f = std::nullopt) {
  return sync<std::vector<Mysfit>>([&](auto cb) { s.list(f, cb); });
}
inline core::Result<Mysfit> get(Store& s, const std::string& id) {
  return sync<Mysfit>([&](auto cb) { s.get(id, cb); });
}
inline core::Result<std::int64_t> like(Store& s, const std::string& id) {
  return sync<std::int64_t>([&](auto cb) { s.like(id, cb); });
}
inline core::Result<core::Unit> adopt(Store& s, const std::string& id) {
  return sync<core::Unit>([&](auto cb) { s.adopt(id, cb); });
}

}  // namespace mysfits::store
