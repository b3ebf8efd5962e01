#include "store/store.hpp"

#include <utility>

#include "store/mysfit_json.hpp"

namespace mysfits::store {

void Store::list_json(std::optional<Filter> filter, Callback<std::string> done) {
  list(std::move(filter), [done = std::move(done)](core::Result<std::vector<Mysfit>> r) {
    done(r.ok() ? core::Result<std::string>(encode_list(r.value()))
                : core::Result<std::string>(r.error()));
  });
}

void Store::profile_json(const std::string& id, Callback<std::string> done) {
  get(id, [done = std::move(done)](core::Result<Mysfit> r) {
    done(r.ok() ? core::Result<std::string>(encode_profile(r.value()))
                : core::Result<std::string>(r.error()));
  });
}

}  // namespace mysfits::store
