#pragma once

#include <cstdint>
#include <string>

#include "core/result.hpp"

namespace mysfits::store {

// A 64-bit counter in a small file beside the database (`<db>-changes`), mapped shared by
// every process that has the database open, so that a store can tell in one memory load
// whether anyone changed the table since it last looked.
//
// Protocol: whoever commits a change through our code bumps the counter after the commit and
// before acknowledging it; a reader that wants to see every acknowledged change compares the
// counter with the value it last synchronised at, and reads from SQLite only when it moved.
// Reading the counter BEFORE reading SQLite is what makes this safe: a commit the read may
// have missed was bumped after that load, so the counter has already moved past it.
//
// The counter only ever grows (a wrap would take 2^64 writes) and its exact value means
// nothing beyond "changed or not".
class ChangeBeacon {
 public:
  // Opens (creating, mode 0644 less the umask, as SQLite creates its files) the beacon of the
  // database at db_path. Fails when the file cannot be created or mapped: a store that could
  // not see other processes' writes would serve stale data silently.
  static core::Result<ChangeBeacon> open(const std::string& db_path);
  static std::string path_for(const std::string& db_path) { return db_path + "-changes"; }

  ChangeBeacon(ChangeBeacon&& other) noexcept;
  ChangeBeacon& operator=(ChangeBeacon&& other) noexcept;
  ChangeBeacon(const ChangeBeacon&) = delete;
  ChangeBeacon& operator=(const ChangeBeacon&) = delete;
  ~ChangeBeacon();

  std::uint64_t load() const;
  // Announces a committed change; returns the value before this bump.
  std::uint64_t bump();

 private:
  explicit ChangeBeacon(std::uint64_t* word) : word_(word) {}
  std::uint64_t* word_ = nullptr;  // in a MAP_SHARED page, page-aligned
};

}  // namespace mysfits::store
