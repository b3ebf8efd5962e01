#include "services/monolith/list_query.hpp"

#include <boost/url/encoding_opts.hpp>
#include <boost/url/param.hpp>
#include <boost/url/params_view.hpp>
#include <boost/url/parse_query.hpp>
#include <string>

namespace mysfits::monolith {
namespace {

core::Error bad(std::string message) {
  return {core::Errc::kBadRequest, std::move(message)};
}

}  // namespace

core::Result<std::optional<store::Filter>> parse_list_query(std::string_view query) {
  if (query.empty())
    return std::optional<store::Filter>{};
  // Checked first so the throwing params_view constructor below never throws.
  if (!boost::urls::parse_query(query))
    return bad("malformed query string");
  boost::urls::encoding_opts opts;
  opts.space_as_plus = true;  // HTML forms encode spaces as '+'
  std::optional<std::string> filter;
  std::optional<std::string> value;
  for (const boost::urls::param& p : boost::urls::params_view(query, opts)) {
    std::optional<std::string>* slot = nullptr;
    if (p.key == "filter")
      slot = &filter;
    else if (p.key == "value")
      slot = &value;
    if (slot == nullptr)
      continue;
    if (slot->has_value())
      return bad("'" + p.key + "' given more than once");
    *slot = p.value;
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
