#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "store/mysfit.hpp"

namespace mysfits::store {

// An in-memory copy of the mysfits table that reads are served from without a lock.
//
// The set of rows and their descriptive fields never change once built (a new table is built
// when rows are added or removed); only each row's likes and adopted change, through atomics.
// So a reader needs no lock: it copies the fields and loads the two atomics, and can never see
// a torn row. Readers may see one row's count move before another's, which a list served from
// one SQLite snapshot would not show, but every count is one that was committed and never
// older than what had been acknowledged when the read started.
class MirrorTable {
 public:
  struct Row {
    Mysfit fields;               // likes and adopted in here are unused: see the atomics
    std::string profile_prefix;  // encode_profile_prefix(fields)
    std::atomic<std::int64_t> likes{0};
    std::atomic<bool> adopted{false};
  };

  // rows must be in listing order (by name, then id), as the list query returns them; that
  // order is kept rather than re-sorted here, so the mirror agrees with SQLite by construction.
  explicit MirrorTable(std::vector<Mysfit> rows);
  MirrorTable(const MirrorTable&) = delete;
  MirrorTable& operator=(const MirrorTable&) = delete;

  // nullptr when there is no such id.
  Row* find(std::string_view id) const;
  std::size_t size() const { return size_; }

  // The row as a Mysfit with its current likes and adopted.
  static Mysfit snapshot(const Row& row);
  // Every row in listing order, or those whose field equals the filter's value exactly (the
  // same byte-wise equality as SQLite's default BINARY collation).
  std::vector<Mysfit> list(const std::optional<Filter>& filter) const;

  // The API's bodies, as encode_profile(snapshot(row)) and encode_list(list(filter)) would
  // write them. A list body holds no counts, so every one is encoded once, when the table is
  // built; a profile appends the row's current counts to its encoded prefix.
  static std::string profile_json(const Row& row);
  const std::string& list_json(const std::optional<Filter>& filter) const;

 private:
  std::unique_ptr<Row[]> rows_;  // atomics cannot move, so no vector
  std::size_t size_;
  std::vector<std::size_t> by_id_;  // indexes into rows_, sorted by id
  std::string all_json_;
  std::string none_json_;                                            // a filter value no row has
  std::vector<std::pair<std::string, std::string>> good_evil_json_;  // value, body
  std::vector<std::pair<std::string, std::string>> law_chaos_json_;
};

}  // namespace mysfits::store
