#include "store/sqlite/sqlite_store.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <string>
#include <utility>

#include "store/sqlite/sqlite_connection.hpp"
#include "store/sqlite/sqlite_schema.hpp"

namespace mysfits::store {

// A thread's connection and its statements, prepared once and reused for every call.
struct SqliteStore::ThreadConnection {
  std::unique_ptr<SqliteConnection> conn;
  SqliteStatement list_all;
  SqliteStatement list_good_evil;
  SqliteStatement list_law_chaos;
  SqliteStatement get;
  SqliteStatement like;
  SqliteStatement adopt;
  SqliteStatement exists;
  SqliteStatement ping;
};

namespace {

std::atomic<std::uint64_t> g_next_instance_id{1};

// This thread's connections, one per live store it has used. Entries of destroyed stores are
// never matched again (instance ids are not reused) and are only a few bytes each.
struct CacheEntry {
  std::uint64_t instance_id;
  void* connection;
};
thread_local std::vector<CacheEntry> t_connections;

std::string select_where(const char* condition) {
  return std::string("SELECT ") + kMysfitColumns + " FROM mysfits " + condition +
         " ORDER BY name, id";
}

Mysfit row_to_mysfit(const StatementRun& row) {
  Mysfit m;
  m.id = row.text(0);
  m.name = row.text(1);
  m.species = row.text(2);
  m.description = row.text(3);
  m.age = row.integer(4);
  m.good_evil = row.text(5);
  m.law_chaos = row.text(6);
  m.thumb_image_uri = row.text(7);
  m.profile_image_uri = row.text(8);
  m.likes = row.integer(9);
  m.adopted = row.integer(10) != 0;
  return m;
}

core::Error not_found(const std::string& id) {
  return {core::Errc::kNotFound, "no mysfit with id " + id};
}

}  // namespace

SqliteStore::SqliteStore(std::string path)
    : path_(std::move(path)), instance_id_(g_next_instance_id.fetch_add(1)) {}

SqliteStore::~SqliteStore() = default;

core::Result<std::unique_ptr<SqliteStore>> SqliteStore::open(const std::string& path) {
  auto setup = SqliteConnection::open(path, SqliteConnection::Mode::kCreate);
  if (!setup)
    return setup.error();
  if (auto schema = ensure_schema(*setup.value(), SeedPolicy::kFirstStartOnly); !schema)
    return schema.error();
  std::unique_ptr<SqliteStore> store(new SqliteStore(path));
  // Fail at start, not on the first request, when the file cannot serve our statements.
  if (auto conn = store->connection(); !conn)
    return conn.error();
  return store;
}

core::Result<SqliteStore::ThreadConnection*> SqliteStore::connection() {
  for (const CacheEntry& entry : t_connections) {
    if (entry.instance_id == instance_id_)
      return static_cast<ThreadConnection*>(entry.connection);
  }
  auto conn = SqliteConnection::open(path_, SqliteConnection::Mode::kOpenExisting);
  if (!conn)
    return conn.error();
  auto tc = std::make_unique<ThreadConnection>();
  tc->conn = std::move(conn.value());
  const std::pair<SqliteStatement*, std::string> statements[] = {
      {&tc->list_all, select_where("")},
      {&tc->list_good_evil, select_where("WHERE good_evil = ?1")},
      {&tc->list_law_chaos, select_where("WHERE law_chaos = ?1")},
      {&tc->get, std::string("SELECT ") + kMysfitColumns + " FROM mysfits WHERE id = ?1"},
      {&tc->like, "UPDATE mysfits SET likes = likes + 1 WHERE id = ?1 RETURNING likes"},
      {&tc->adopt, "UPDATE mysfits SET adopted = 1 WHERE id = ?1 AND adopted = 0"},
      {&tc->exists, "SELECT 1 FROM mysfits WHERE id = ?1"},
      {&tc->ping, "SELECT 1 FROM mysfits LIMIT 1"},
  };
  for (const auto& [target, sql] : statements) {
    auto stmt = tc->conn->prepare(sql);
    if (!stmt)
      return stmt.error();
    *target = std::move(stmt.value());
  }
  ThreadConnection* raw = tc.get();
  {
    std::lock_guard lock(connections_mutex_);
    connections_.push_back(std::move(tc));
  }
  t_connections.push_back({instance_id_, raw});
  return raw;
}

core::Result<std::vector<Mysfit>> SqliteStore::do_list(const std::optional<Filter>& filter) {
  auto tc = connection();
  if (!tc)
    return tc.error();
  const SqliteStatement* stmt = &tc.value()->list_all;
  if (filter)
    stmt = filter->field == FilterField::kGoodEvil ? &tc.value()->list_good_evil
                                                   : &tc.value()->list_law_chaos;
  StatementRun run(*stmt);
  if (filter)
    run.bind(1, filter->value);
  std::vector<Mysfit> out;
  int rc;
  while ((rc = run.step()) == SQLITE_ROW)
    out.push_back(row_to_mysfit(run));
  if (rc != SQLITE_DONE)
    return tc.value()->conn->error_for(rc, "list");
  return out;
}

core::Result<Mysfit> SqliteStore::do_get(const std::string& id) {
  auto tc = connection();
  if (!tc)
    return tc.error();
  StatementRun run(tc.value()->get);
  run.bind(1, id);
  int rc = run.step();
  if (rc == SQLITE_ROW)
    return row_to_mysfit(run);
  if (rc == SQLITE_DONE)
    return not_found(id);
  return tc.value()->conn->error_for(rc, "get");
}

core::Result<std::int64_t> SqliteStore::do_like(const std::string& id) {
  auto tc = connection();
  if (!tc)
    return tc.error();
  std::lock_guard lock(write_mutex_);
  StatementRun run(tc.value()->like);
  run.bind(1, id);
  int rc = run.step();
  if (rc == SQLITE_DONE)
    return not_found(id);
  if (rc != SQLITE_ROW)
    return tc.value()->conn->error_for(rc, "like");
  std::int64_t likes = run.integer(0);
  // The autocommit transaction commits when the statement runs to completion; only then is
  // the like acknowledged.
  rc = run.step();
  if (rc != SQLITE_DONE)
    return tc.value()->conn->error_for(rc, "like commit");
  return likes;
}

core::Result<core::Unit> SqliteStore::do_adopt(const std::string& id) {
  auto tc = connection();
  if (!tc)
    return tc.error();
  std::lock_guard lock(write_mutex_);
  {
    StatementRun run(tc.value()->adopt);
    run.bind(1, id);
    int rc = run.step();
    if (rc != SQLITE_DONE)
      return tc.value()->conn->error_for(rc, "adopt");
    if (tc.value()->conn->changes() == 1)
      return core::Unit{};
  }
  // Nothing changed: either the mysfit is already adopted or there is no such mysfit. Under the
  // write lock nobody can create or adopt it in between, so the answer is exact.
  StatementRun run(tc.value()->exists);
  run.bind(1, id);
  int rc = run.step();
  if (rc == SQLITE_ROW)
    return core::Error{core::Errc::kConflict, "mysfit " + id + " is already adopted"};
  if (rc == SQLITE_DONE)
    return not_found(id);
  return tc.value()->conn->error_for(rc, "adopt");
}

core::Result<core::Unit> SqliteStore::do_ping() {
  auto tc = connection();
  if (!tc)
    return tc.error();
  StatementRun run(tc.value()->ping);
  int rc = run.step();
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return tc.value()->conn->error_for(rc, "ping");
  return core::Unit{};
}

void SqliteStore::list(std::optional<Filter> filter, Callback<std::vector<Mysfit>> done) {
  done(do_list(filter));
}

void SqliteStore::get(const std::string& id, Callback<Mysfit> done) {
  done(do_get(id));
}

void SqliteStore::like(const std::string& id, Callback<std::int64_t> done) {
  done(do_like(id));
}

void SqliteStore::adopt(const std::string& id, Callback<core::Unit> done) {
  done(do_adopt(id));
}

void SqliteStore::ping(Callback<core::Unit> done) {
  done(do_ping());
}

core::Result<SeedReport> seed_sqlite(const std::string& path) {
  auto conn = SqliteConnection::open(path, SqliteConnection::Mode::kCreate);
  if (!conn)
    return conn.error();
  return ensure_schema(*conn.value(), SeedPolicy::kAddMissing);
}

}  // namespace mysfits::store
