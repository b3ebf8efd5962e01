#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "store/store.hpp"

namespace mysfits::store {

// The embedded store: one SQLite file in WAL mode (durability trade-off: see
// sqlite_connection.cpp). Every call completes inline, before it returns.
//
// Threads: the server calls the store from one thread per core. Each thread gets its own
// connection with its own prepared statements, created on first use and owned by the store,
// so reads on different threads never contend. Writes from our own threads are serialised by
// an in-process mutex: SQLite allows one writer per file anyway, and waiting on a mutex is far
// cheaper than SQLite's busy handler, which sleeps in millisecond steps.
//
// A like is one autocommit UPDATE ... RETURNING: about 15 us of CPU, most of it the commit's
// WAL append and file locks. Group commit (the likes of one event-loop turn in one
// transaction, each acknowledged after it) was tried and measured: it cut the locks and WAL
// writes per like by 4x but lost 15-30 % of like throughput under wrk -c16 on 2 cores, as each
// like waited for the rest of its turn and the batches held the write lock longer.
class SqliteStore final : public Store {
 public:
  // Opens path (creating the file if needed), creates the schema and, on the very first start
  // only, loads the catalog. Restarts never reset likes or adoptions.
  static core::Result<std::unique_ptr<SqliteStore>> open(const std::string& path);
  ~SqliteStore() override;
  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

  void list(std::optional<Filter> filter, Callback<std::vector<Mysfit>> done) override;
  void get(const std::string& id, Callback<Mysfit> done) override;
  void like(const std::string& id, Callback<std::int64_t> done) override;
  void adopt(const std::string& id, Callback<core::Unit> done) override;
  void ping(Callback<core::Unit> done) override;

  const std::string& path() const { return path_; }

 private:
  struct ThreadConnection;

  explicit SqliteStore(std::string path);
  // This thread's connection, opened on first use.
  core::Result<ThreadConnection*> connection();

  core::Result<std::vector<Mysfit>> do_list(const std::optional<Filter>& filter);
  core::Result<Mysfit> do_get(const std::string& id);
  core::Result<std::int64_t> do_like(const std::string& id);
  core::Result<core::Unit> do_adopt(const std::string& id);
  core::Result<core::Unit> do_ping();

  std::string path_;
  std::uint64_t instance_id_;  // keys the per-thread cache; never reused, unlike an address
  std::mutex connections_mutex_;
  std::vector<std::unique_ptr<ThreadConnection>> connections_;
  std::mutex write_mutex_;
};

struct SeedReport {
  std::size_t added = 0;    // catalog mysfits that were missing and are now stored
  std::size_t present = 0;  // already there: left untouched (likes and adoptions kept)
};

// `mysfits seed` without --table: creates the file and schema when missing and adds every
// catalog mysfit that is not there yet. Safe to run again, and against a file a running
// monolith is serving.
core::Result<SeedReport> seed_sqlite(const std::string& path);

}  // namespace mysfits::store
