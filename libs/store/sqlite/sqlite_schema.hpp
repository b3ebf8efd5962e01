#pragma once

#include "core/result.hpp"
#include "store/sqlite/sqlite_connection.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace mysfits::store {

// The columns every read selects, in this order (see row_to_mysfit).
inline constexpr const char* kMysfitColumns =
    "id, name, species, description, age, good_evil, law_chaos, thumb_image_uri, "
    "profile_image_uri, likes, adopted";

enum class SeedPolicy {
  kFirstStartOnly,  // the monolith: seed a file that has never been seeded, then never again
  kAddMissing,      // `mysfits seed`: add whatever catalog mysfit is missing
};

// Creates the schema if needed and seeds per policy, in one IMMEDIATE transaction so two
// processes starting on the same file cannot both seed or see half a schema.
core::Result<SeedReport> ensure_schema(SqliteConnection& conn, SeedPolicy policy);

}  // namespace mysfits::store
