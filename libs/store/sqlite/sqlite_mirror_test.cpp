// The SQLite store serves reads from an in-memory mirror. These check that the mirror never
// shows less than what was acknowledged: two stores on one file stand in for two monolith
// replicas (each store has its own mirror, exactly as each process does).
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <filesystem>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "store/mysfit_json.hpp"
#include "store/sqlite/sqlite_test_fixture.hpp"

namespace mysfits::store {
namespace {

using SqliteMirrorTest = SqliteFileTest;

const std::string& first_id() {
  return catalog().front().id;
}

const Mysfit* find_in(const std::vector<Mysfit>& mysfits, const std::string& id) {
  for (const Mysfit& m : mysfits)
    if (m.id == id)
      return &m;
  return nullptr;
}

// What SQLite itself says, for comparing the mirror with: id, likes and adopted per row, in
// the order of the list query, optionally filtered.
struct Counts {
  std::string id;
  std::int64_t likes;
  bool adopted;
  bool operator==(const Counts&) const = default;
};

std::vector<Counts> sql_counts(const std::string& path, const std::string& where = "") {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  std::string sql = "SELECT id, likes, adopted FROM mysfits " + where + " ORDER BY name, id";
  EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK);
  std::vector<Counts> out;
  while (sqlite3_step(stmt) == SQLITE_ROW)
    out.push_back({reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)),
                   sqlite3_column_int64(stmt, 1), sqlite3_column_int(stmt, 2) != 0});
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return out;
}

std::vector<Counts> counts_of(const std::vector<Mysfit>& mysfits) {
  std::vector<Counts> out;
  for (const Mysfit& m : mysfits)
    out.push_back({m.id, m.likes, m.adopted});
  return out;
}

TEST_F(SqliteMirrorTest, ALikeThroughOneStoreShowsInTheOthersGetAndListRightAfterIt) {
  auto a = open();
  auto b = open();
  ASSERT_TRUE(a && b);
  ASSERT_EQ(get(*b, first_id())->likes, 0);  // b's mirror is loaded and in sync
  ASSERT_EQ(like(*a, first_id()).value(), 1);
  EXPECT_EQ(get(*b, first_id())->likes, 1);
  ASSERT_EQ(like(*a, first_id()).value(), 2);
  auto all = list(*b);
  ASSERT_TRUE(all.ok());
  ASSERT_NE(find_in(*all, first_id()), nullptr);
  EXPECT_EQ(find_in(*all, first_id())->likes, 2);
  // And back the other way, after b has written itself.
  ASSERT_EQ(like(*b, first_id()).value(), 3);
  EXPECT_EQ(get(*a, first_id())->likes, 3);
}

TEST_F(SqliteMirrorTest, AnAdoptionThroughOneStoreShowsInTheOtherWhichThenRefusesIt) {
  auto a = open();
  auto b = open();
  ASSERT_TRUE(a && b);
  ASSERT_FALSE(get(*b, first_id())->adopted);
  ASSERT_TRUE(adopt(*a, first_id()).ok());
  EXPECT_TRUE(get(*b, first_id())->adopted);
  EXPECT_TRUE(find_in(*list(*b), first_id())->adopted);
  auto again = adopt(*b, first_id());
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, core::Errc::kConflict);
  EXPECT_EQ(adopt(*b, "nope").error().code, core::Errc::kNotFound);
}

TEST_F(SqliteMirrorTest, RowsTheSeedCommandAddsShowInARunningStore) {
  { ASSERT_TRUE(open()); }
  const Mysfit& dropped = catalog().back();
  raw_exec("DELETE FROM mysfits WHERE id = '" + dropped.id + "'");
  auto store = open();
  ASSERT_TRUE(store);
  ASSERT_EQ(list(*store)->size(), 11u);
  ASSERT_EQ(get(*store, dropped.id).error().code, core::Errc::kNotFound);

  auto report = seed_sqlite(path_);
  ASSERT_TRUE(report.ok()) << report.error().message;
  ASSERT_EQ(report->added, 1u);
  auto all = list(*store);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 12u);
  EXPECT_EQ(counts_of(*all), sql_counts(path_));
  auto got = get(*store, dropped.id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->name, dropped.name);
  EXPECT_EQ(like(*store, dropped.id).value(), 1);
  EXPECT_EQ(get(*store, dropped.id)->likes, 1);
}

// A row the mirror does not hold yet (written by a tool that bypasses the store, so nobody
// announced it): the write goes by what SQLite says, and the store must not then count its
// mirror as in sync just because nobody else announced a change.
TEST_F(SqliteMirrorTest, AWriteToARowTheMirrorLacksBringsTheRowIn) {
  { ASSERT_TRUE(open()); }
  const Mysfit& late = catalog().back();
  raw_exec("DELETE FROM mysfits WHERE id = '" + late.id + "'");
  auto store = open();
  ASSERT_TRUE(store);
  ASSERT_EQ(list(*store)->size(), 11u);
  raw_exec("INSERT INTO mysfits VALUES ('" + late.id +
           "', 'Late', 's', 'd', 1, 'Good', 'Lawful', 't', 'p', 41, 0)");
  EXPECT_EQ(like(*store, late.id).value(), 42);
  auto got = get(*store, late.id);
  ASSERT_TRUE(got.ok()) << got.error().message;
  EXPECT_EQ(got->likes, 42);
  EXPECT_EQ(list(*store)->size(), 12u);
  EXPECT_TRUE(adopt(*store, late.id).ok());
  EXPECT_EQ(adopt(*store, late.id).error().code, core::Errc::kConflict);
  EXPECT_TRUE(get(*store, late.id)->adopted);
}

TEST_F(SqliteMirrorTest, ConcurrentLikesThroughTwoStoresAreAllCountedAndReadExactly) {
  auto a = open();
  auto b = open();
  ASSERT_TRUE(a && b);
  constexpr int kPerThread = 150;
  std::vector<std::vector<std::int64_t>> seen(4);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      SqliteStore& store = t % 2 == 0 ? *a : *b;
      for (int i = 0; i < kPerThread; ++i) {
        auto r = like(store, first_id());
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
  EXPECT_EQ(counts.size(), std::size_t{4 * kPerThread});
  EXPECT_EQ(get(*a, first_id())->likes, 4 * kPerThread);
  EXPECT_EQ(get(*b, first_id())->likes, 4 * kPerThread);
  EXPECT_EQ(counts_of(*list(*a)), sql_counts(path_));
  EXPECT_EQ(counts_of(*list(*b)), sql_counts(path_));
}

// The guarantee itself, under concurrency: once a like is acknowledged, no read through the
// other store shows fewer, and counts read through one store never go backwards.
TEST_F(SqliteMirrorTest, ReadsThroughTheOtherStoreNeverShowLessThanWasAcknowledged) {
  auto a = open();
  auto b = open();
  ASSERT_TRUE(a && b);
  constexpr int kLikes = 300;
  std::atomic<std::int64_t> acknowledged{0};
  std::atomic<bool> finished{false};
  std::thread writer([&] {
    for (int i = 0; i < kLikes; ++i) {
      auto r = like(*a, first_id());
      EXPECT_TRUE(r.ok());
      if (r.ok())
        acknowledged.store(r.value(), std::memory_order_release);
    }
    finished.store(true, std::memory_order_release);
  });
  std::int64_t last = 0;
  int reads = 0;
  int behind = 0;
  int backwards = 0;
  for (bool done = false; !done;) {
    done = finished.load(std::memory_order_acquire);
    const std::int64_t floor = acknowledged.load(std::memory_order_acquire);
    auto m = get(*b, first_id());
    ASSERT_TRUE(m.ok()) << m.error().message;
    ++reads;
    behind += m->likes < floor;
    backwards += m->likes < last;
    last = m->likes;
  }
  writer.join();
  EXPECT_EQ(last, kLikes);
  EXPECT_EQ(behind, 0) << "of " << reads << " reads";
  EXPECT_EQ(backwards, 0) << "of " << reads << " reads";
}

TEST_F(SqliteMirrorTest, FilteredListsAfterLikesMatchWhatSqliteSays) {
  auto a = open();
  auto b = open();
  ASSERT_TRUE(a && b);
  const auto& all = catalog();
  for (std::size_t i = 0; i < all.size(); ++i)
    for (std::size_t n = 0; n < i % 4; ++n)
      ASSERT_TRUE(like(n % 2 == 0 ? *a : *b, all[i].id).ok());
  ASSERT_TRUE(adopt(*a, all[3].id).ok());
  for (const char* value : {"Good", "Neutral", "Evil"}) {
    auto got = list(*b, Filter{FilterField::kGoodEvil, value});
    ASSERT_TRUE(got.ok());
    EXPECT_EQ(counts_of(*got), sql_counts(path_, "WHERE good_evil = '" + std::string(value) + "'"))
        << value;
  }
  for (const char* value : {"Lawful", "Neutral", "Chaotic"}) {
    auto got = list(*a, Filter{FilterField::kLawChaos, value});
    ASSERT_TRUE(got.ok());
    EXPECT_EQ(counts_of(*got), sql_counts(path_, "WHERE law_chaos = '" + std::string(value) + "'"))
        << value;
  }
  EXPECT_EQ(counts_of(*list(*b)), sql_counts(path_));
}

// The API serves the stored bodies; they must be byte for byte what encoding the reads gives.
TEST_F(SqliteMirrorTest, JsonBodiesAreExactlyTheEncodedReads) {
  auto a = open();
  auto b = open();
  ASSERT_TRUE(a && b);
  const auto& all = catalog();
  ASSERT_TRUE(like(*a, all[0].id).ok());
  ASSERT_TRUE(like(*b, all[0].id).ok());
  ASSERT_TRUE(like(*b, all[5].id).ok());
  ASSERT_TRUE(adopt(*b, all[7].id).ok());
  for (const Mysfit& m : all) {
    auto body = sync<std::string>([&](auto done) { a->profile_json(m.id, done); });
    auto read = get(*a, m.id);
    ASSERT_TRUE(body.ok() && read.ok()) << m.id;
    EXPECT_EQ(*body, encode_profile(*read)) << m.id;
  }
  EXPECT_NE(sync<std::string>([&](auto done) {
              a->profile_json(all[7].id, done);
            })->find("\"adopted\":true"),
            std::string::npos);
  auto missing = sync<std::string>([&](auto done) { a->profile_json("no-such-mysfit", done); });
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, core::Errc::kNotFound);

  std::vector<std::optional<Filter>> filters = {std::nullopt};
  for (const char* value : {"Good", "Neutral", "Evil", "evil", ""})
    filters.push_back(Filter{FilterField::kGoodEvil, value});
  for (const char* value : {"Lawful", "Neutral", "Chaotic", "Nope"})
    filters.push_back(Filter{FilterField::kLawChaos, value});
  for (const auto& filter : filters) {
    auto body = sync<std::string>([&](auto done) { b->list_json(filter, done); });
    auto read = list(*b, filter);
    ASSERT_TRUE(body.ok() && read.ok());
    EXPECT_EQ(*body, encode_list(*read)) << (filter ? filter->value : "no filter");
  }
}

TEST_F(SqliteMirrorTest, OpenAndSeedFailClearlyWhenTheChangeBeaconCannotBeCreated) {
  // A directory where the beacon file should be: the store could not see other processes'
  // writes, so it must refuse to start rather than serve stale reads.
  std::filesystem::create_directories(path_ + "-changes");
  auto store = SqliteStore::open(path_);
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.error().message.find("change beacon"), std::string::npos)
      << store.error().message;
  auto seeded = seed_sqlite(path_);
  ASSERT_FALSE(seeded.ok());
  EXPECT_NE(seeded.error().message.find("change beacon"), std::string::npos);
}

TEST_F(SqliteMirrorTest, TheBeaconLivesBesideTheDatabase) {
  ASSERT_TRUE(open());
  EXPECT_EQ(std::filesystem::file_size(path_ + "-changes"), sizeof(std::uint64_t));
}

}  // namespace
}  // namespace mysfits::store
