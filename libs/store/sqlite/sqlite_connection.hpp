#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/result.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace mysfits::store {

// A prepared statement, finalised with its owner. Prepared once per connection and reused.
class SqliteStatement {
 public:
  SqliteStatement() = default;
  SqliteStatement(SqliteStatement&& other) noexcept;
  SqliteStatement& operator=(SqliteStatement&& other) noexcept;
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;
  ~SqliteStatement();

  sqlite3_stmt* get() const { return stmt_; }

 private:
  friend class SqliteConnection;
  explicit SqliteStatement(sqlite3_stmt* stmt) : stmt_(stmt) {}
  sqlite3_stmt* stmt_ = nullptr;
};

// One use of a prepared statement: binds, steps, reads columns, and resets it (clearing its
// bindings) when the scope ends, so a reused statement never keeps a read snapshot or a write
// transaction open between calls.
class StatementRun {
 public:
  explicit StatementRun(const SqliteStatement& statement);
  ~StatementRun();
  StatementRun(const StatementRun&) = delete;
  StatementRun& operator=(const StatementRun&) = delete;

  void bind(int index, std::string_view text);  // 1-based, copied by SQLite
  void bind(int index, std::int64_t value);

  // SQLITE_ROW, SQLITE_DONE or an error code.
  int step();

  std::string text(int column) const;
  std::int64_t integer(int column) const;

 private:
  sqlite3_stmt* stmt_;
};

// One SQLite connection. It is not shared between threads (opened with SQLITE_OPEN_NOMUTEX),
// so whoever owns it must use it from one thread at a time.
class SqliteConnection {
 public:
  enum class Mode { kOpenExisting, kCreate };

  // Opens path with the settings every connection of ours needs: WAL, synchronous=NORMAL, a
  // busy timeout. kCreate also creates the file.
  static core::Result<std::unique_ptr<SqliteConnection>> open(const std::string& path, Mode mode);
  ~SqliteConnection();
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  core::Result<SqliteStatement> prepare(std::string_view sql);
  // Runs one or more statements that return no rows (DDL, pragmas, BEGIN/COMMIT).
  core::Result<core::Unit> exec(const char* sql);
  // Rows changed by the last INSERT/UPDATE/DELETE on this connection.
  std::int64_t changes() const;

  // An Error for the connection's last failure: busy/locked -> kUnavailable (retryable),
  // anything else -> kInternal. what names the operation for the message.
  core::Error last_error(std::string_view what) const;
  core::Error error_for(int code, std::string_view what) const;

 private:
  explicit SqliteConnection(sqlite3* db) : db_(db) {}
  sqlite3* db_;
};

}  // namespace mysfits::store
