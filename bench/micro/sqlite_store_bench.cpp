// The SQLite store's reads and the like write, called directly as the monolith's handlers call
// them (every call completes inline). Each benchmark works on a fresh file in its own temporary
// directory, in WAL mode as the monolith runs it.
//
// get and list are served from the store's in-memory mirror; BM_SqliteGetAfterExternalWrite is
// the path a read takes after another process announced a write (a refresh from SQLite).
#include <benchmark/benchmark.h>
#include <stdlib.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "store/mysfit.hpp"
#include "store/sqlite/change_beacon.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace {

namespace fs = std::filesystem;
using mysfits::store::Mysfit;
using mysfits::store::SqliteStore;

// A seeded store in a fresh directory, removed with it.
class TempStore {
 public:
  TempStore() {
    std::string pattern = (fs::temp_directory_path() / "mysfits-bench-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr)
      throw std::runtime_error("mkdtemp failed");
    dir_ = pattern;
    auto opened = SqliteStore::open((dir_ / "mysfits.db").string());
    if (!opened)
      throw std::runtime_error(opened.error().message);
    store_ = std::move(opened.value());
  }
  ~TempStore() {
    store_.reset();
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }
  TempStore(const TempStore&) = delete;
  TempStore& operator=(const TempStore&) = delete;

  SqliteStore& operator*() { return *store_; }
  SqliteStore* operator->() { return store_.get(); }

 private:
  fs::path dir_;
  std::unique_ptr<SqliteStore> store_;
};

std::vector<std::string> catalog_ids() {
  std::vector<std::string> ids;
  for (const Mysfit& m : mysfits::store::catalog())
    ids.push_back(m.id);
  return ids;
}

// The store reports failures through the callback; a benchmark that measured failures would be
// meaningless, so it stops with the error instead.
template <class T>
void check(benchmark::State& state, const mysfits::core::Result<T>& result) {
  if (!result)
    state.SkipWithError(result.error().message.c_str());
}

void BM_SqliteGet(benchmark::State& state) {
  TempStore store;
  const auto ids = catalog_ids();
  std::size_t next = 0;
  for (auto _ : state) {
    store->get(ids[next++ % ids.size()], [&](auto result) {
      check(state, result);
      benchmark::DoNotOptimize(result);
    });
  }
}
BENCHMARK(BM_SqliteGet);

void BM_SqliteList(benchmark::State& state) {
  TempStore store;
  std::optional<mysfits::store::Filter> filter;
  if (state.range(0) != 0)
    filter = mysfits::store::Filter{mysfits::store::FilterField::kGoodEvil, "Evil"};
  for (auto _ : state) {
    store->list(filter, [&](auto result) {
      check(state, result);
      benchmark::DoNotOptimize(result);
    });
  }
}
BENCHMARK(BM_SqliteList)->ArgName("filtered")->Arg(0)->Arg(1);

// Every get follows a bump of the change beacon, as if another replica had just liked: each one
// re-reads ids and counts from SQLite before answering. (The bump itself is one atomic add.)
void BM_SqliteGetAfterExternalWrite(benchmark::State& state) {
  TempStore store;
  auto beacon = mysfits::store::ChangeBeacon::open(store->path());
  if (!beacon) {
    state.SkipWithError(beacon.error().message.c_str());
    return;
  }
  const auto ids = catalog_ids();
  std::size_t next = 0;
  for (auto _ : state) {
    beacon->bump();
    store->get(ids[next++ % ids.size()], [&](auto result) {
      check(state, result);
      benchmark::DoNotOptimize(result);
    });
  }
}
BENCHMARK(BM_SqliteGetAfterExternalWrite);

// One like = one write transaction. With two threads both contend for the one writer, as two
// server threads do under POST /like load.
std::unique_ptr<TempStore> shared_store;

void BM_SqliteLike(benchmark::State& state) {
  if (state.thread_index() == 0)
    shared_store = std::make_unique<TempStore>();
  const auto ids = catalog_ids();
  std::size_t next = static_cast<std::size_t>(state.thread_index());
  for (auto _ : state) {
    (*shared_store)->like(ids[next++ % ids.size()], [&](auto result) {
      check(state, result);
      benchmark::DoNotOptimize(result);
    });
  }
  state.SetItemsProcessed(state.iterations());
  if (state.thread_index() == 0)
    shared_store.reset();
}
BENCHMARK(BM_SqliteLike)->Threads(1)->Threads(2)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
