#include "store/sqlite/sqlite_store.hpp"

#include <sqlite3.h>

#include <string>
#include <utility>

#include "store/sqlite/mirror_table.hpp"
#include "store/sqlite/sqlite_connection.hpp"
#include "store/sqlite/sqlite_schema.hpp"

namespace mysfits::store {

// A thread's connection and its statements, prepared once and reused for every call.
struct SqliteStore::ThreadConnection {
  std::unique_ptr<SqliteConnection> conn;
  SqliteStatement load;
  SqliteStatement counts;
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

// Seeding adds rows: announced like any write of ours, so that running stores load them.
core::Result<SeedReport> ensure_schema_announced(SqliteConnection& conn, SeedPolicy policy,
                                                 ChangeBeacon& beacon) {
  auto report = ensure_schema(conn, policy);
  if (report && (report->added > 0 || policy == SeedPolicy::kAddMissing))
    beacon.bump();
  return report;
}

}  // namespace

SqliteStore::SqliteStore(std::string path, ChangeBeacon beacon)
    : path_(std::move(path)),
      instance_id_(g_next_instance_id.fetch_add(1)),
      beacon_(std::move(beacon)) {}

SqliteStore::~SqliteStore() = default;

core::Result<std::unique_ptr<SqliteStore>> SqliteStore::open(const std::string& path) {
  auto setup = SqliteConnection::open(path, SqliteConnection::Mode::kCreate);
  if (!setup)
    return setup.error();
  auto beacon = ChangeBeacon::open(path);
  if (!beacon)
    return beacon.error();
  auto schema = ensure_schema_announced(*setup.value(), SeedPolicy::kFirstStartOnly, *beacon);
  if (!schema)
    return schema.error();
  std::unique_ptr<SqliteStore> store(new SqliteStore(path, std::move(beacon.value())));
  // Fail at start, not on the first request, when the file cannot serve our statements.
  auto conn = store->connection();
  if (!conn)
    return conn.error();
  {
    std::lock_guard lock(store->write_mutex_);
    if (auto loaded = store->refresh_locked(*conn.value()); !loaded)
      return loaded.error();
  }
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
      {&tc->load, std::string("SELECT ") + kMysfitColumns + " FROM mysfits ORDER BY name, id"},
      {&tc->counts, "SELECT id, likes, adopted FROM mysfits"},
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

core::Result<core::Unit> SqliteStore::sync() {
  if (beacon_.load() == synced_.load(std::memory_order_acquire))
    return core::Unit{};
  auto tc = connection();
  if (!tc)
    return tc.error();
  std::lock_guard lock(write_mutex_);
  if (beacon_.load() == synced_.load(std::memory_order_relaxed))
    return core::Unit{};  // another thread refreshed while we waited
  return refresh_locked(*tc.value());
}

core::Result<core::Unit> SqliteStore::refresh_locked(ThreadConnection& tc) {
  // Loaded before SQLite is read: a commit that this read's snapshot misses is announced after
  // this load, so the beacon will have moved past `seen` and the next read refreshes again.
  const std::uint64_t seen = beacon_.load();
  MirrorTable* table = table_.load(std::memory_order_relaxed);
  // Usually only counts changed: one cheap scan of the primary key. Counts stored before a
  // mismatch is found are committed values too, so a reader may see them early, never wrongly.
  bool same_rows = table != nullptr;
  if (same_rows) {
    StatementRun run(tc.counts);
    std::size_t rows = 0;
    int rc = SQLITE_DONE;
    while (same_rows && (rc = run.step()) == SQLITE_ROW) {
      MirrorTable::Row* row = table->find(run.text(0));
      same_rows = row != nullptr;
      if (row != nullptr) {
        row->likes.store(run.integer(1), std::memory_order_release);
        row->adopted.store(run.integer(2) != 0, std::memory_order_release);
        ++rows;
      }
    }
    if (same_rows && rc != SQLITE_DONE)
      return tc.conn->error_for(rc, "refresh");
    same_rows = same_rows && rows == table->size();
  }
  if (!same_rows) {
    auto rows = load_rows(tc);
    if (!rows)
      return rows.error();
    tables_.push_back(std::make_unique<MirrorTable>(std::move(rows.value())));
    table_.store(tables_.back().get(), std::memory_order_release);
  }
  synced_.store(seen, std::memory_order_release);
  return core::Unit{};
}

core::Result<std::vector<Mysfit>> SqliteStore::load_rows(ThreadConnection& tc) {
  StatementRun run(tc.load);
  std::vector<Mysfit> rows;
  int rc;
  while ((rc = run.step()) == SQLITE_ROW)
    rows.push_back(row_to_mysfit(run));
  if (rc != SQLITE_DONE)
    return tc.conn->error_for(rc, "load");
  return rows;
}

void SqliteStore::announce_locked(bool mirrored) {
  const std::uint64_t before = beacon_.bump();
  // Nobody else announced anything since our last sync, and our own change is in the mirror:
  // it is still in sync. Otherwise the next read refreshes.
  if (mirrored && before == synced_.load(std::memory_order_relaxed))
    synced_.store(before + 1, std::memory_order_release);
}

core::Result<const MirrorTable*> SqliteStore::fresh_table() {
  if (auto synced = sync(); !synced)
    return synced.error();
  return table_.load(std::memory_order_acquire);
}

core::Result<const MirrorTable::Row*> SqliteStore::fresh_row(const std::string& id) {
  auto table = fresh_table();
  if (!table)
    return table.error();
  if (const MirrorTable::Row* row = table.value()->find(id))
    return row;
  return not_found(id);
}

core::Result<std::vector<Mysfit>> SqliteStore::do_list(const std::optional<Filter>& filter) {
  auto table = fresh_table();
  if (!table)
    return table.error();
  return table.value()->list(filter);
}

core::Result<Mysfit> SqliteStore::do_get(const std::string& id) {
  auto row = fresh_row(id);
  if (!row)
    return row.error();
  return MirrorTable::snapshot(*row.value());
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
  // A row added by another process since our last refresh is not in the mirror yet; the
  // refresh that announce_locked then leaves to the next read brings it in, count included.
  MirrorTable::Row* row = table_.load(std::memory_order_relaxed)->find(id);
  if (row != nullptr)
    row->likes.store(likes, std::memory_order_release);
  announce_locked(row != nullptr);
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
    if (tc.value()->conn->changes() == 1) {
      MirrorTable::Row* row = table_.load(std::memory_order_relaxed)->find(id);
      if (row != nullptr)
        row->adopted.store(true, std::memory_order_release);
      announce_locked(row != nullptr);
      return core::Unit{};
    }
  }
  // Nothing changed: either the mysfit is already adopted or there is no such mysfit. Under the
  // write lock nobody can create or adopt it in between, so the answer is exact.
  StatementRun run(tc.value()->exists);
  run.bind(1, id);
  int rc = run.step();
  if (rc == SQLITE_ROW) {
    // Another process adopted it and may not have announced it yet; after telling the caller
    // it is adopted, this store must not show it as free. Adoptions are never undone.
    if (MirrorTable::Row* row = table_.load(std::memory_order_relaxed)->find(id))
      row->adopted.store(true, std::memory_order_release);
    return core::Error{core::Errc::kConflict, "mysfit " + id + " is already adopted"};
  }
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

void SqliteStore::list_json(std::optional<Filter> filter, Callback<std::string> done) {
  auto table = fresh_table();
  if (!table)
    done(table.error());
  else
    done(table.value()->list_json(filter));
}

void SqliteStore::profile_json(const std::string& id, Callback<std::string> done) {
  auto row = fresh_row(id);
  if (!row)
    done(row.error());
  else
    done(MirrorTable::profile_json(*row.value()));
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
  auto beacon = ChangeBeacon::open(path);
  if (!beacon)
    return beacon.error();
  return ensure_schema_announced(*conn.value(), SeedPolicy::kAddMissing, *beacon);
}

}  // namespace mysfits::store
