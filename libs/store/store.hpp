#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "store/mysfit.hpp"

namespace mysfits::store {

template <class T>
using Callback = std::function<void(core::Result<T>)>;

// What the monolith's handlers need from persistence. Asynchronous so that a network store
// (DynamoDB) never blocks a server thread; an embedded store (SQLite) may complete inline.
// Callbacks run on the calling thread. Errors: kNotFound for an unknown id, kConflict for an
// adopt of an adopted mysfit, kUnavailable/kTimeout/kBadGateway when the backend fails.
class Store {
 public:
  virtual ~Store() = default;

  virtual void list(std::optional<Filter> filter, Callback<std::vector<Mysfit>> done) = 0;
  virtual void get(const std::string& id, Callback<Mysfit> done) = 0;
  // Adds one like, once; returns the count after the write that stored it (a store may carry
  // several likes in one write, docs/decisions/0010-exactly-once-writes-and-coalesced-likes.md).
  virtual void like(const std::string& id, Callback<std::int64_t> done) = 0;
  // Sets adopted when it is not yet; kConflict when it already is.
  virtual void adopt(const std::string& id, Callback<core::Unit> done) = 0;
  // Cheap round trip for readiness.
  virtual void ping(Callback<core::Unit> done) = 0;

  // The API's JSON bodies of list() and get() (mysfit_json.hpp). These defaults encode what
  // list() and get() return; a store that keeps its rows in memory overrides them to serve
  // bodies it keeps encoded.
  virtual void list_json(std::optional<Filter> filter, Callback<std::string> done);
  virtual void profile_json(const std::string& id, Callback<std::string> done);
};

}  // namespace mysfits::store
