#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "store/store.hpp"

namespace boost::asio {
class io_context;
}

namespace mysfits::store {

// Coalesces the likes of one mysfit: likes that arrive while a write of that mysfit's likes is
// under way wait, and go together in one write as soon as it returns. So a mysfit takes one
// write per round trip to the store however many likes it gets, instead of one per like; a
// like that finds no write of its mysfit under way is written at once (no delay when quiet).
// Each like is answered when the write that carries it has ended: with the count that write
// produced, or with its error, which fails exactly the likes it carried.
//
// Thread-safe: likes come from every server thread. A write runs on the thread that started
// it, and each like is answered on the thread it came from, as Store's callbacks are.
class LikeBatcher {
 public:
  // Adds `count` likes of `id` in one write; done gets the count it produced. Called on a
  // thread with core::current_io(), it completes there.
  using WriteLikes =
      std::function<void(const std::string& id, std::int64_t count, Callback<std::int64_t> done)>;

  explicit LikeBatcher(WriteLikes write);
  LikeBatcher(const LikeBatcher&) = delete;
  LikeBatcher& operator=(const LikeBatcher&) = delete;

  // Needs core::current_io().
  void like(const std::string& id, Callback<std::int64_t> done);

 private:
  struct Waiting {
    boost::asio::io_context* io;
    Callback<std::int64_t> done;
  };
  struct Mysfit {
    bool writing = false;
    std::vector<Waiting> waiting;
  };
  void write(const std::string& id, std::vector<Waiting> batch);
  void written(const std::string& id, std::vector<Waiting>& batch,
               const core::Result<std::int64_t>& result);

  WriteLikes write_;
  std::mutex mutex_;
  // Only mysfits with a write under way: an id leaves when its last write ends.
  std::unordered_map<std::string, Mysfit> mysfits_;
};

}  // namespace mysfits::store
