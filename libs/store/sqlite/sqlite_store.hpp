#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "store/sqlite/change_beacon.hpp"
#include "store/sqlite/mirror_table.hpp"
#include "store/store.hpp"

namespace mysfits::store {

// The embedded store: one SQLite file in WAL mode (durability trade-off: see
// sqlite_connection.cpp). Every call completes inline, before it returns.
//
// Reads never touch SQLite: get and list are served from a mirror of the table in memory
// (MirrorTable: a dozen rows, loaded at open), without a lock. Opening a SQLite read
// transaction took fcntl locks on the WAL index and SQLite's global mutexes on every read,
// which the two server threads contended on: a GET's CPU went from about 19 to 15 us, a full
// list's from 29 to 18 (docs/decisions/0005-sqlite-read-mirror.md).
//
// Writes go to SQLite as before and then into the mirror. To see writes made by other
// processes on the same file (`mysfits up --replicas 2`, `mysfits seed` against a served
// file), every write of ours bumps a shared counter after its commit and before its
// acknowledgement (ChangeBeacon, `<db>-changes`); a read first compares that counter with the
// value the mirror reflects and, when it moved, refreshes the mirror from SQLite. So every
// acknowledged write, from any process of ours, is seen by every later read.
//
// The limit: a program that writes the file without going through this store or seed_sqlite
// (the sqlite3 shell) does not bump the counter, so a running store does not see its changes
// until something else bumps it (a write through another process's store, `mysfits seed`,
// which always does) or the store is reopened.
//
// Threads: the server calls the store from one thread per core. Each thread gets its own
// connection with its own prepared statements, created on first use and owned by the store.
// Writes and mirror refreshes from our own threads are serialised by an in-process mutex:
// SQLite allows one writer per file anyway, and waiting on a mutex is far cheaper than
// SQLite's busy handler, which sleeps in millisecond steps.
//
// A like is one autocommit UPDATE ... RETURNING: about 15 us of CPU, most of it the commit's
// WAL append and file locks. Group commit (the likes of one event-loop turn in one
// transaction, each acknowledged after it) was tried and measured: it cut the locks and WAL
// writes per like by 4x but lost 15-30 % of like throughput under wrk -c16 on 2 cores, as each
// like waited for the rest of its turn and the batches held the write lock longer.
class SqliteStore final : public Store {
 public:
  // Opens path (creating the file if needed) and its change beacon, creates the schema and,
  // on the very first start only, loads the catalog, then loads the mirror. Restarts never
  // reset likes or adoptions.
  static core::Result<std::unique_ptr<SqliteStore>> open(const std::string& path);
  ~SqliteStore() override;
  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

  void list(std::optional<Filter> filter, Callback<std::vector<Mysfit>> done) override;
  void get(const std::string& id, Callback<Mysfit> done) override;
  void like(const std::string& id, Callback<std::int64_t> done) override;
  void adopt(const std::string& id, Callback<core::Unit> done) override;
  void ping(Callback<core::Unit> done) override;
  void list_json(std::optional<Filter> filter, Callback<std::string> done) override;
  void profile_json(const std::string& id, Callback<std::string> done) override;

  const std::string& path() const { return path_; }

 private:
  struct ThreadConnection;

  SqliteStore(std::string path, ChangeBeacon beacon);
  // This thread's connection, opened on first use.
  core::Result<ThreadConnection*> connection();

  // Refreshes the mirror when the beacon moved since it was last in sync; a read's only step
  // besides copying rows, and a single load when nothing changed.
  core::Result<core::Unit> sync();
  // The refresh itself; write_mutex_ held.
  core::Result<core::Unit> refresh_locked(ThreadConnection& tc);
  core::Result<std::vector<Mysfit>> load_rows(ThreadConnection& tc);
  // After one of our commits, write_mutex_ held: bumps the beacon.
  void announce_locked(bool mirrored);

  // The mirror after catching up with other processes' writes; a row of it, or kNotFound.
  core::Result<const MirrorTable*> fresh_table();
  core::Result<const MirrorTable::Row*> fresh_row(const std::string& id);
  core::Result<std::vector<Mysfit>> do_list(const std::optional<Filter>& filter);
  core::Result<Mysfit> do_get(const std::string& id);
  core::Result<std::int64_t> do_like(const std::string& id);
  core::Result<core::Unit> do_adopt(const std::string& id);
  core::Result<core::Unit> do_ping();

  std::string path_;
  std::uint64_t instance_id_;  // keys the per-thread cache; never reused, unlike an address
  std::mutex connections_mutex_;
  std::vector<std::unique_ptr<ThreadConnection>> connections_;
  std::mutex write_mutex_;  // our writes and mirror refreshes

  ChangeBeacon beacon_;
  // The beacon value the mirror reflects: every change announced up to it is in the mirror.
  std::atomic<std::uint64_t> synced_{0};
  std::atomic<MirrorTable*> table_{nullptr};
  // Every table built, current or not: a reader may still be copying from an older one. A new
  // table is only built when rows are added or removed, so these stay a handful.
  std::vector<std::unique_ptr<MirrorTable>> tables_;
};

struct SeedReport {
  std::size_t added = 0;    // catalog mysfits that were missing and are now stored
  std::size_t present = 0;  // already there: left untouched (likes and adoptions kept)
};

// `mysfits seed` without --table: creates the file and schema when missing and adds every
// catalog mysfit that is not there yet. Safe to run again, and against a file a running
// monolith is serving: it bumps the change beacon, so the monolith's next read picks up what
// it added (and any change made with the sqlite3 shell before it).
core::Result<SeedReport> seed_sqlite(const std::string& path);

}  // namespace mysfits::store
