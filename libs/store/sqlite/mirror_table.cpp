#include "store/sqlite/mirror_table.hpp"

#include <algorithm>
#include <numeric>
#include <string>
#include <utility>

#include "store/mysfit_json.hpp"

namespace mysfits::store {

MirrorTable::MirrorTable(std::vector<Mysfit> rows)
    : rows_(std::make_unique<Row[]>(rows.size())), size_(rows.size()), by_id_(rows.size()) {
  for (std::size_t i = 0; i < size_; ++i) {
    rows_[i].likes.store(rows[i].likes, std::memory_order_relaxed);
    rows_[i].adopted.store(rows[i].adopted, std::memory_order_relaxed);
    rows_[i].fields = std::move(rows[i]);
    rows_[i].profile_prefix = encode_profile_prefix(rows_[i].fields);
  }
  std::iota(by_id_.begin(), by_id_.end(), std::size_t{0});
  std::sort(by_id_.begin(), by_id_.end(), [this](std::size_t a, std::size_t b) {
    return rows_[a].fields.id < rows_[b].fields.id;
  });
  all_json_ = encode_list(list(std::nullopt));
  none_json_ = encode_list({});
  for (std::size_t i = 0; i < size_; ++i) {
    for (auto field : {FilterField::kGoodEvil, FilterField::kLawChaos}) {
      const Mysfit& m = rows_[i].fields;
      const std::string& value = field == FilterField::kGoodEvil ? m.good_evil : m.law_chaos;
      auto& bodies = field == FilterField::kGoodEvil ? good_evil_json_ : law_chaos_json_;
      if (std::none_of(bodies.begin(), bodies.end(),
                       [&](const auto& b) { return b.first == value; }))
        bodies.emplace_back(value, encode_list(list(Filter{field, value})));
    }
  }
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

std::string MirrorTable::profile_json(const Row& row) {
  std::string out;
  out.reserve(row.profile_prefix.size() + 48);
  out.append(row.profile_prefix);
  append_profile_counts(out, row.likes.load(std::memory_order_acquire),
                        row.adopted.load(std::memory_order_acquire));
  return out;
}

const std::string& MirrorTable::list_json(const std::optional<Filter>& filter) const {
  if (!filter)
    return all_json_;
  const auto& bodies = filter->field == FilterField::kGoodEvil ? good_evil_json_ : law_chaos_json_;
  for (const auto& [value, body] : bodies) {
    if (value == filter->value)
      return body;
  }
  return none_json_;
}

}  // namespace mysfits::store
