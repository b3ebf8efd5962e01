#include "store/sqlite/sqlite_connection.hpp"

#include <sqlite3.h>

#include <chrono>
#include <mutex>
#include <utility>

namespace mysfits::store {
namespace {

// Long enough to ride out another process's write or a checkpoint (a second monolith during
// a migration, `mysfits seed` against a live file); short enough that a stuck lock shows up as
// a 503 rather than as a hung request.
constexpr std::chrono::milliseconds kBusyTimeout{5'000};

// Durability: in WAL mode, synchronous=NORMAL makes each commit a write() into the WAL, with
// fsync only at checkpoints. A committed transaction therefore survives the process crashing
// or being killed (kill -9): the data is in the operating system's page cache and reaches the
// file. What it does not survive is the machine losing power or the kernel crashing before the
// next checkpoint: the last commits may roll back (the database stays consistent, never
// corrupt). FULL would fsync on every commit and cost an order of magnitude in like
// throughput; for likes and adoptions on a laptop store we take that trade. Deployments that
// need power-loss durability run on DynamoDB.
constexpr const char* kConnectionSettings =
    "PRAGMA journal_mode = WAL;"
    "PRAGMA synchronous = NORMAL;";

// SQLite counts every allocation of every connection under one global mutex, for statistics
// we never read (sqlite3_memory_used, the soft heap limit). The setting only takes before
// SQLite initialises, hence once, before our first open; if something else in the process
// initialised SQLite first, the call fails harmlessly and the statistics stay on.
void disable_memory_statistics_once() {
  static std::once_flag once;
  std::call_once(once, [] { (void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
}

}  // namespace

SqliteStatement::SqliteStatement(SqliteStatement&& other) noexcept
    : stmt_(std::exchange(other.stmt_, nullptr)) {}

SqliteStatement& SqliteStatement::operator=(SqliteStatement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(stmt_);
    stmt_ = std::exchange(other.stmt_, nullptr);
  }
  return *this;
}

SqliteStatement::~SqliteStatement() {
  sqlite3_finalize(stmt_);
}

StatementRun::StatementRun(const SqliteStatement& statement) : stmt_(statement.get()) {}

StatementRun::~StatementRun() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

void StatementRun::bind(int index, std::string_view text) {
  sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
}

void StatementRun::bind(int index, std::int64_t value) {
  sqlite3_bind_int64(stmt_, index, value);
}

int StatementRun::step() {
  return sqlite3_step(stmt_);
}

std::string StatementRun::text(int column) const {
  const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  if (data == nullptr)
    return {};
  return std::string(data, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)));
}

std::int64_t StatementRun::integer(int column) const {
  return sqlite3_column_int64(stmt_, column);
}

core::Result<std::unique_ptr<SqliteConnection>> SqliteConnection::open(const std::string& path,
                                                                       Mode mode) {
  disable_memory_statistics_once();
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
  if (mode == Mode::kCreate)
    flags |= SQLITE_OPEN_CREATE;
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  // sqlite3_open_v2 hands back a handle even on failure (for the message); the guard owns it.
  std::unique_ptr<SqliteConnection> conn(new SqliteConnection(db));
  if (rc != SQLITE_OK)
    return conn->error_for(rc, "open " + path);
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, static_cast<int>(kBusyTimeout.count()));
  if (auto r = conn->exec(kConnectionSettings); !r)
    return r.error();
  return conn;
}

SqliteConnection::~SqliteConnection() {
  sqlite3_close_v2(db_);
}

core::Result<SqliteStatement> SqliteConnection::prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK)
    return error_for(rc, "prepare");
  return SqliteStatement(stmt);
}

core::Result<core::Unit> SqliteConnection::exec(const char* sql) {
  int rc = sqlite3_exec(db_, sql, nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK)
    return error_for(rc, "exec");
  return core::Unit{};
}

std::int64_t SqliteConnection::changes() const {
  return sqlite3_changes64(db_);
}

core::Error SqliteConnection::last_error(std::string_view what) const {
  return error_for(sqlite3_extended_errcode(db_), what);
}

core::Error SqliteConnection::error_for(int code, std::string_view what) const {
  int primary = code & 0xFF;
  bool retryable = primary == SQLITE_BUSY || primary == SQLITE_LOCKED;
  std::string message = "sqlite: ";
  message += what;
  message += ": ";
  message += db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(code);
  return {retryable ? core::Errc::kUnavailable : core::Errc::kInternal, std::move(message)};
}

}  // namespace mysfits::store
