#include "core/router.hpp"

#include <algorithm>

namespace mysfits::core {
namespace {

// Stands for a "{name}" segment; cannot collide with a literal, which never contains braces.
constexpr std::string_view kParam = "{}";

std::vector<std::string> split_pattern(const std::string& pattern) {
  std::vector<std::string> out;
  std::size_t pos = 1;  // patterns start with '/'
  while (pos <= pattern.size()) {
    auto next = pattern.find('/', pos);
    if (next == std::string::npos)
      next = pattern.size();
    std::string seg = pattern.substr(pos, next - pos);
    if (seg.size() >= 2 && seg.front() == '{' && seg.back() == '}')
      seg = kParam;
    out.push_back(std::move(seg));
    pos = next + 1;
  }
  return out;
}

// Matches path against segments without allocating; fills params on success.
bool match_segments(const std::vector<std::string>& segments, std::string_view path,
                    std::vector<std::string_view>& params) {
  if (path.empty() || path.front() != '/')
    return false;
  std::size_t pos = 1;
  params.clear();
  for (std::size_t i = 0; i < segments.size(); ++i) {
    if (pos > path.size())
      return false;
    auto next = path.find('/', pos);
    if (next == std::string_view::npos)
      next = path.size();
    std::string_view seg = path.substr(pos, next - pos);
    const std::string& want = segments[i];
    if (want == kParam) {
      if (seg.empty())
        return false;
      params.push_back(seg);
    } else if (seg != want) {
      return false;
    }
    pos = next + 1;
  }
  return pos == path.size() + 1;
}

void append_method(std::string& allow, std::string_view method) {
  if (allow.find(method) != std::string::npos)
    return;
  if (!allow.empty())
    allow += ", ";
  allow += method;
}

}  // namespace

Responder::~Responder() {
  if (sink_)
    sink_->complete(Response::error(500, "internal", "handler did not respond"));
}

void Responder::send(Response response) {
  if (!sink_)
    return;
  auto sink = std::move(sink_);
  sink->complete(std::move(response));
}

Router& Router::get(std::string pattern, SyncHandler handler) {
  return add("GET", std::move(pattern), std::move(handler), {});
}
Router& Router::get(std::string pattern, AsyncHandler handler) {
  return add("GET", std::move(pattern), {}, std::move(handler));
}
Router& Router::post(std::string pattern, SyncHandler handler) {
  return add("POST", std::move(pattern), std::move(handler), {});
}
Router& Router::post(std::string pattern, AsyncHandler handler) {
  return add("POST", std::move(pattern), {}, std::move(handler));
}

Router& Router::add(std::string method, std::string pattern, SyncHandler sync, AsyncHandler async) {
  Route route;
  route.label = method + " " + pattern;
  route.method = std::move(method);
  route.pattern = pattern;
  route.sync = std::move(sync);
  route.async = std::move(async);
  routes_.push_back(std::move(route));

  auto segments = split_pattern(pattern);
  auto it = std::find_if(paths_.begin(), paths_.end(),
                         [&](const PathEntry& p) { return p.segments == segments; });
  if (it == paths_.end()) {
    paths_.push_back(PathEntry{std::move(segments), {}});
    it = std::prev(paths_.end());
  }
  it->route_indexes.push_back(routes_.size() - 1);
  return *this;
}

Router& Router::fallback(AsyncHandler handler) {
  // Built whole rather than assigned member by member: GCC 12 at -O3 reports a false
  // -Wrestrict on assigning a literal to a fresh std::string member (the release build).
  fallback_ = std::make_unique<Route>(Route{"*", "*", "fallback", {}, std::move(handler)});
  return *this;
}

Router::Match Router::match(std::string_view method, std::string_view path) const {
  Match m;
  std::vector<std::string_view> params;
  for (const auto& entry : paths_) {
    if (!match_segments(entry.segments, path, params))
      continue;
    std::string_view want = method == "HEAD" ? std::string_view("GET") : method;
    for (auto index : entry.route_indexes) {
      const Route& r = routes_[index];
      append_method(m.allow, r.method);
      if (r.method == "GET")
        append_method(m.allow, "HEAD");
      if (m.kind != Match::Kind::kFound && r.method == want) {
        m.kind = Match::Kind::kFound;
        m.route = &r;
        m.params = params;
      }
    }
    append_method(m.allow, "OPTIONS");
    if (m.kind == Match::Kind::kFound)
      return m;
    m.kind = Match::Kind::kMethodNotAllowed;
    return m;
  }
  m.allow.clear();
  if (fallback_) {
    m.kind = Match::Kind::kFound;
    m.route = fallback_.get();
  }
  return m;
}

}  // namespace mysfits::core
