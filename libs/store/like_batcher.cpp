#include "store/like_batcher.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <memory>
#include <utility>

#include "core/io_context.hpp"

namespace mysfits::store {

LikeBatcher::LikeBatcher(WriteLikes write) : write_(std::move(write)) {}

void LikeBatcher::like(const std::string& id, Callback<std::int64_t> done) {
  std::vector<Waiting> batch;
  {
    std::lock_guard lock(mutex_);
    Mysfit& mysfit = mysfits_[id];
    mysfit.waiting.push_back({&core::current_io(), std::move(done)});
    if (mysfit.writing)
      return;
    mysfit.writing = true;
    batch.swap(mysfit.waiting);
  }
  write(id, std::move(batch));
}

void LikeBatcher::write(const std::string& id, std::vector<Waiting> batch) {
  auto count = static_cast<std::int64_t>(batch.size());
  auto carried = std::make_shared<std::vector<Waiting>>(std::move(batch));
  write_(id, count,
         [this, id, carried](core::Result<std::int64_t> result) { written(id, *carried, result); });
}

void LikeBatcher::written(const std::string& id, std::vector<Waiting>& batch,
                          const core::Result<std::int64_t>& result) {
  std::vector<Waiting> next;
  {
    std::lock_guard lock(mutex_);
    auto it = mysfits_.find(id);
    if (it->second.waiting.empty())
      mysfits_.erase(it);
    else
      next.swap(it->second.waiting);  // still writing: the next write is this thread's
  }
  boost::asio::io_context& here = core::current_io();
  // Posted, not called: a store that completes inline would otherwise recurse once per batch.
  if (!next.empty())
    boost::asio::post(here,
                      [this, id, next = std::move(next)]() mutable { write(id, std::move(next)); });
  for (auto& waiting : batch) {
    if (waiting.io == &here)
      waiting.done(result);
    else
      boost::asio::post(*waiting.io, [done = std::move(waiting.done), result] { done(result); });
  }
}

}  // namespace mysfits::store
