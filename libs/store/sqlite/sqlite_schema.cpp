#include "store/sqlite/sqlite_schema.hpp"

#include <sqlite3.h>

#include <string>

namespace mysfits::store {
namespace {

// user_version records the schema the file holds. 0 is a new file; 1 is this schema, seeded
// once. A later schema change bumps it and migrates from the previous value.
constexpr std::int64_t kSchemaVersion = 1;

// STRICT rejects a wrongly typed value instead of silently storing it; WITHOUT ROWID stores
// rows in primary-key order, which suits lookups by id. The indexes serve the list order and
// the two filters (the same roles as the DynamoDB table's GSIs).
constexpr const char* kSchema =
    "CREATE TABLE IF NOT EXISTS mysfits ("
    "  id TEXT PRIMARY KEY NOT NULL,"
    "  name TEXT NOT NULL,"
    "  species TEXT NOT NULL,"
    "  description TEXT NOT NULL,"
    "  age INTEGER NOT NULL,"
    "  good_evil TEXT NOT NULL,"
    "  law_chaos TEXT NOT NULL,"
    "  thumb_image_uri TEXT NOT NULL,"
    "  profile_image_uri TEXT NOT NULL,"
    "  likes INTEGER NOT NULL DEFAULT 0 CHECK (likes >= 0),"
    "  adopted INTEGER NOT NULL DEFAULT 0 CHECK (adopted IN (0, 1))"
    ") STRICT, WITHOUT ROWID;"
    "CREATE INDEX IF NOT EXISTS mysfits_by_name ON mysfits (name, id);"
    "CREATE INDEX IF NOT EXISTS mysfits_by_good_evil ON mysfits (good_evil, name, id);"
    "CREATE INDEX IF NOT EXISTS mysfits_by_law_chaos ON mysfits (law_chaos, name, id);";

constexpr const char* kInsertMissing =
    "INSERT OR IGNORE INTO mysfits (id, name, species, description, age, good_evil, law_chaos, "
    "thumb_image_uri, profile_image_uri, likes, adopted) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 0, 0)";

core::Result<std::int64_t> user_version(SqliteConnection& conn) {
  auto stmt = conn.prepare("PRAGMA user_version");
  if (!stmt)
    return stmt.error();
  StatementRun run(stmt.value());
  if (run.step() != SQLITE_ROW)
    return conn.last_error("read user_version");
  return run.integer(0);
}

core::Result<SeedReport> insert_catalog(SqliteConnection& conn) {
  auto stmt = conn.prepare(kInsertMissing);
  if (!stmt)
    return stmt.error();
  SeedReport report;
  for (const Mysfit& m : catalog()) {
    StatementRun run(stmt.value());
    run.bind(1, m.id);
    run.bind(2, m.name);
    run.bind(3, m.species);
    run.bind(4, m.description);
    run.bind(5, m.age);
    run.bind(6, m.good_evil);
    run.bind(7, m.law_chaos);
    run.bind(8, m.thumb_image_uri);
    run.bind(9, m.profile_image_uri);
    if (run.step() != SQLITE_DONE)
      return conn.last_error("seed " + m.id);
    (conn.changes() == 1 ? report.added : report.present) += 1;
  }
  return report;
}

core::Result<SeedReport> create_and_seed(SqliteConnection& conn, SeedPolicy policy) {
  if (auto r = conn.exec(kSchema); !r)
    return r.error();
  auto version = user_version(conn);
  if (!version)
    return version.error();
  if (version.value() > kSchemaVersion)
    return core::Error{core::Errc::kInternal, "sqlite: the file's schema version " +
                                                  std::to_string(version.value()) +
                                                  " is newer than this program's (" +
                                                  std::to_string(kSchemaVersion) + ")"};
  SeedReport report;
  if (version.value() == 0 || policy == SeedPolicy::kAddMissing) {
    auto seeded = insert_catalog(conn);
    if (!seeded)
      return seeded.error();
    report = seeded.value();
  }
  if (version.value() == 0) {
    std::string set_version = "PRAGMA user_version = " + std::to_string(kSchemaVersion);
    if (auto r = conn.exec(set_version.c_str()); !r)
      return r.error();
  }
  return report;
}

}  // namespace

core::Result<SeedReport> ensure_schema(SqliteConnection& conn, SeedPolicy policy) {
  if (auto r = conn.exec("BEGIN IMMEDIATE"); !r)
    return r.error();
  auto report = create_and_seed(conn, policy);
  if (!report) {
    // The error above is what the caller needs to see; a failed rollback adds nothing to it.
    (void)conn.exec("ROLLBACK");
    return report;
  }
  if (auto r = conn.exec("COMMIT"); !r) {
    (void)conn.exec("ROLLBACK");
    return r.error();
  }
  return report;
}

}  // namespace mysfits::store
