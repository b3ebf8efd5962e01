#include "store/sqlite/sqlite_store.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "store/sqlite/sqlite_test_fixture.hpp"

namespace mysfits::store {
namespace {

namespace fs = std::filesystem;

using SqliteStoreTest = SqliteFileTest;

const std::string& first_id() {
  return catalog().front().id;
}

TEST_F(SqliteStoreTest, FirstStartSeedsTheCatalogInListingOrder) {
  auto store = open();
  ASSERT_TRUE(store);
  auto all = list(*store);
  ASSERT_TRUE(all.ok());
  std::vector<Mysfit> expected = catalog();
  sort_for_listing(expected);
  ASSERT_EQ(all->size(), 12u);
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(all.value()[i].id, expected[i].id);
    EXPECT_EQ(all.value()[i].name, expected[i].name);
  }
}

TEST_F(SqliteStoreTest, GetReturnsEveryField) {
  auto store = open();
  ASSERT_TRUE(store);
  const Mysfit& want = catalog().front();
  auto got = get(*store, want.id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->name, want.name);
  EXPECT_EQ(got->species, want.species);
  EXPECT_EQ(got->description, want.description);
  EXPECT_EQ(got->age, want.age);
  EXPECT_EQ(got->good_evil, want.good_evil);
  EXPECT_EQ(got->law_chaos, want.law_chaos);
  EXPECT_EQ(got->thumb_image_uri, want.thumb_image_uri);
  EXPECT_EQ(got->profile_image_uri, want.profile_image_uri);
  EXPECT_EQ(got->likes, 0);
  EXPECT_FALSE(got->adopted);
}

TEST_F(SqliteStoreTest, UnknownIdIsNotFoundEverywhere) {
  auto store = open();
  ASSERT_TRUE(store);
  EXPECT_EQ(get(*store, "nope").error().code, core::Errc::kNotFound);
  EXPECT_EQ(like(*store, "nope").error().code, core::Errc::kNotFound);
  EXPECT_EQ(adopt(*store, "nope").error().code, core::Errc::kNotFound);
}

TEST_F(SqliteStoreTest, FiltersByEitherIndexInListingOrder) {
  auto store = open();
  ASSERT_TRUE(store);
  auto evil = list(*store, Filter{FilterField::kGoodEvil, "Evil"});
  ASSERT_TRUE(evil.ok());
  ASSERT_EQ(evil->size(), 4u);
  for (const auto& m : evil.value())
    EXPECT_EQ(m.good_evil, "Evil");
  EXPECT_TRUE(std::is_sorted(evil->begin(), evil->end(),
                             [](const Mysfit& a, const Mysfit& b) { return a.name < b.name; }));
  auto chaotic = list(*store, Filter{FilterField::kLawChaos, "Chaotic"});
  ASSERT_TRUE(chaotic.ok());
  EXPECT_EQ(chaotic->size(), 4u);
  for (const auto& m : chaotic.value())
    EXPECT_EQ(m.law_chaos, "Chaotic");
}

TEST_F(SqliteStoreTest, FilterValueIsExactAndUnknownValuesMatchNothing) {
  auto store = open();
  ASSERT_TRUE(store);
  EXPECT_TRUE(list(*store, Filter{FilterField::kGoodEvil, "evil"})->empty());
  EXPECT_TRUE(list(*store, Filter{FilterField::kGoodEvil, "Lawful"})->empty());
  EXPECT_TRUE(list(*store, Filter{FilterField::kLawChaos, "' OR 1=1 --"})->empty());
}

TEST_F(SqliteStoreTest, LikeCountsUpAndGetSeesIt) {
  auto store = open();
  ASSERT_TRUE(store);
  EXPECT_EQ(like(*store, first_id()).value(), 1);
  EXPECT_EQ(like(*store, first_id()).value(), 2);
  EXPECT_EQ(get(*store, first_id())->likes, 2);
}

TEST_F(SqliteStoreTest, AdoptOnceThenConflict) {
  auto store = open();
  ASSERT_TRUE(store);
  EXPECT_TRUE(adopt(*store, first_id()).ok());
  auto again = adopt(*store, first_id());
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, core::Errc::kConflict);
  EXPECT_TRUE(get(*store, first_id())->adopted);
}

TEST_F(SqliteStoreTest, CallbacksRunBeforeTheCallReturns) {
  auto store = open();
  ASSERT_TRUE(store);
  bool ran = false;
  store->ping([&](core::Result<core::Unit> r) {
    EXPECT_TRUE(r.ok());
    ran = true;
  });
  EXPECT_TRUE(ran);
}

TEST_F(SqliteStoreTest, RestartKeepsLikesAndAdoptions) {
  {
    auto store = open();
    ASSERT_TRUE(store);
    like(*store, first_id());
    like(*store, first_id());
    adopt(*store, first_id());
  }
  auto store = open();
  ASSERT_TRUE(store);
  auto m = get(*store, first_id());
  EXPECT_EQ(m->likes, 2);
  EXPECT_TRUE(m->adopted);
  EXPECT_EQ(list(*store)->size(), 12u);
}

TEST_F(SqliteStoreTest, MonolithSeedsOnlyOnceButSeedCommandAddsWhatIsMissing) {
  {
    auto store = open();
    ASSERT_TRUE(store);
    like(*store, first_id());
  }
  raw_exec("DELETE FROM mysfits WHERE id = '" + catalog().back().id + "'");
  {
    auto store = open();  // a restart does not reseed
    ASSERT_TRUE(store);
    EXPECT_EQ(list(*store)->size(), 11u);
  }
  auto report = seed_sqlite(path_);
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(report->added, 1u);
  EXPECT_EQ(report->present, 11u);
  auto store = open();
  ASSERT_TRUE(store);
  EXPECT_EQ(list(*store)->size(), 12u);
  EXPECT_EQ(get(*store, first_id())->likes, 1);  // seeding never resets likes
}

TEST_F(SqliteStoreTest, SeedCreatesAFreshFileAndIsIdempotent) {
  auto first = seed_sqlite(path_);
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(first->added, 12u);
  auto second = seed_sqlite(path_);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->added, 0u);
  EXPECT_EQ(second->present, 12u);
}

TEST_F(SqliteStoreTest, SeedWorksWhileAStoreServesTheFile) {
  auto store = open();
  ASSERT_TRUE(store);
  like(*store, first_id());
  auto report = seed_sqlite(path_);
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(report->present, 12u);
  EXPECT_EQ(like(*store, first_id()).value(), 2);
}

TEST_F(SqliteStoreTest, UsesWriteAheadLogging) {
  auto store = open();
  ASSERT_TRUE(store);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &stmt, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)), "wal");
  sqlite3_finalize(stmt);
  sqlite3_close(db);
}

TEST_F(SqliteStoreTest, ConcurrentLikesFromManyThreadsAreAllCounted) {
  auto store = open();
  ASSERT_TRUE(store);
  constexpr int kThreads = 8;
  constexpr int kPerThread = 50;
  std::vector<std::vector<std::int64_t>> seen(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        auto r = like(*store, first_id());
        if (r.ok())
          seen[t].push_back(r.value());
      }
    });
  }
  for (auto& th : threads)
    th.join();
  std::set<std::int64_t> counts;
  for (const auto& v : seen)
    counts.insert(v.begin(), v.end());
  // Every like acknowledged with its own count: 1..400, none lost, none repeated.
  EXPECT_EQ(counts.size(), std::size_t{kThreads * kPerThread});
  EXPECT_EQ(*counts.begin(), 1);
  EXPECT_EQ(*counts.rbegin(), kThreads * kPerThread);
  EXPECT_EQ(get(*store, first_id())->likes, kThreads * kPerThread);
}

TEST_F(SqliteStoreTest, TwoStoresOnOneFileShareCountsLikeTwoProcesses) {
  auto a = open();
  auto b = open();
  ASSERT_TRUE(a && b);
  std::thread ta([&] {
    for (int i = 0; i < 100; ++i)
      EXPECT_TRUE(like(*a, first_id()).ok());
  });
  std::thread tb([&] {
    for (int i = 0; i < 100; ++i)
      EXPECT_TRUE(like(*b, first_id()).ok());
  });
  ta.join();
  tb.join();
  EXPECT_EQ(get(*a, first_id())->likes, 200);
}

TEST_F(SqliteStoreTest, ConcurrentAdoptsLetExactlyOneWin) {
  auto store = open();
  ASSERT_TRUE(store);
  std::atomic<int> wins{0};
  std::atomic<int> conflicts{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&] {
      auto r = adopt(*store, first_id());
      if (r.ok())
        ++wins;
      else if (r.error().code == core::Errc::kConflict)
        ++conflicts;
    });
  }
  for (auto& th : threads)
    th.join();
  EXPECT_EQ(wins.load(), 1);
  EXPECT_EQ(conflicts.load(), 5);
}

TEST_F(SqliteStoreTest, OpenFailsClearlyOnAnUnusablePath) {
  auto missing_dir = SqliteStore::open((dir_ / "no-such-dir" / "x.db").string());
  ASSERT_FALSE(missing_dir.ok());
  EXPECT_NE(missing_dir.error().message.find("sqlite"), std::string::npos);

  std::ofstream((dir_ / "garbage.db").string()) << std::string(4096, 'x');
  auto garbage = SqliteStore::open((dir_ / "garbage.db").string());
  ASSERT_FALSE(garbage.ok());
}

TEST_F(SqliteStoreTest, RefusesAFileFromANewerSchema) {
  { ASSERT_TRUE(open()); }
  raw_exec("PRAGMA user_version = 99");
  auto store = SqliteStore::open(path_);
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.error().message.find("newer"), std::string::npos);
}

}  // namespace
}  // namespace mysfits::store
