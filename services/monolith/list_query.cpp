#include "services/monolith/list_query.hpp"

#include <algorithm>
#include <boost/url/encoding_opts.hpp>
#include <boost/url/pct_string_view.hpp>
#include <string>

namespace mysfits::monolith {
namespace {

core::Error bad(std::string message) {
  return {core::Errc::kBadRequest, std::move(message)};
}

// Percent- and plus-decodes one key or value; nullopt when its encoding is malformed.
// We split the query ourselves: Boost.URL 1.81's query iterators read the last value up to the
// end of the underlying buffer, past the end of the view they were given.
std::optional<std::string> decode(std::string_view encoded) {
  auto pct = boost::urls::make_pct_string_view(encoded);
  if (!pct)
    return std::nullopt;
  boost::urls::encoding_opts opts;
  opts.space_as_plus = true;  // HTML forms encode spaces as '+'
  return pct->decode(opts);
}

}  // namespace

core::Result<std::optional<store::Filter>> parse_list_query(std::string_view query) {
  if (query.empty())
    return std::optional<store::Filter>{};
  std::optional<std::string> filter;
  std::optional<std::string> value;
  while (!query.empty()) {
    std::string_view pair = query.substr(0, query.find('&'));
    query.remove_prefix(std::min(query.size(), pair.size() + 1));
    std::string_view::size_type eq = pair.find('=');
    auto key = decode(pair.substr(0, eq));
    auto text = decode(eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1));
    if (!key || !text)
      return bad("malformed query string");
    std::optional<std::string>* slot = nullptr;
    if (*key == "filter")
      slot = &filter;
    else if (*key == "value")
      slot = &value;
    if (slot == nullptr)
      continue;
    if (slot->has_value())
      return bad("'" + *key + "' given more than once");
    *slot = std::move(*text);
  }
  if (!filter) {
    if (value)
      return bad("'value' given without 'filter'");
    return std::optional<store::Filter>{};
  }
  auto field = store::parse_filter_field(*filter);
  if (!field)
    return bad("unknown filter: use filter=GoodEvil or filter=LawChaos");
  if (!value || value->empty())
    return bad("filter needs a value, e.g. value=Good");
  if (value->size() > kMaxFilterValue)
    return bad("filter value too long");
  return std::optional<store::Filter>{store::Filter{*field, std::move(*value)}};
}

}  // namespace mysfits::monolith
