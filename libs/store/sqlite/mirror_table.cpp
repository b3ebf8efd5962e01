#include "store/sqlite/mirror_table.hpp"

#include <algorithm>
#include <numeric>
#include <string>
#include <utility>

namespace mysfits::store {

MirrorTable::MirrorTable(std::vector<Mysfit> rows)
    : rows_(std::make_unique<Row[]>(rows.size())), size_(rows.size()), by_id_(rows.size()) {
  for (std::size_t i = 0; i < size_; ++i) {
    rows_[i].likes.store(rows[i].likes, std::memory_order_relaxed);
    rows_[i].adopted.store(rows[i].adopted, std::memory_order_relaxed);
    rows_[i].fields = std::move(rows[i]);
  }
  std::iota(by_id_.begin(), by_id_.end(), std::size_t{0});
  std::sort(by_id_.begin(), by_id_.end(), [this](std::size_t a, std::size_t b) {
    return rows_[a].fields.id < rows_[b].fields.id;
  });
}

MirrorTable::Row* MirrorTable::find(std::string_view id) const {
  auto it = std::lower_bound(by_id_.begin(), by_id_.end(), id, [this](std::size_t i, auto key) {
    return std::string_view(rows_[i].fields.id) < key;
  });
  if (it == by_id_.end() || rows_[*it].fields.id != id)
    return nullptr;
  return &rows_[*it];
}

Mysfit MirrorTable::snapshot(const Row& row) {
  Mysfit m = row.fields;
  m.likes = row.likes.load(std::memory_order_acquire);
  m.adopted = row.adopted.load(std::memory_order_acquire);
  return m;
}

std::vector<Mysfit> MirrorTable::list(const std::optional<Filter>& filter) const {
  std::vector<Mysfit> out;
  out.reserve(size_);
  for (std::size_t i = 0; i < size_; ++i) {
    const Row& row = rows_[i];
    if (filter) {
      const std::string& field =
          filter->field == FilterField::kGoodEvil ? row.fields.good_evil : row.fields.law_chaos;
      if (field != filter->value)
        continue;
    }
    out.push_back(snapshot(row));
  }
  return out;
}

}  // namespace mysfits::store
