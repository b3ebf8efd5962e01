// libFuzzer target for what every service does with a request target before a handler runs:
// route matching on the monolith's templates, query parsing of GET /mysfits and id validation.
// Input: method, NUL, target. Properties checked, not just "no crash": a matched {id} is
// validated exactly as docs/api.md says, and a parsed filter is one it allows.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/router.hpp"
#include "services/monolith/list_query.hpp"
#include "store/mysfit.hpp"

namespace {

using mysfits::core::Request;
using mysfits::core::Response;
using mysfits::core::Router;

const Router& monolith_routes() {
  static const Router router = [] {
    Router r;
    auto ok = [](const Request&) { return Response::json(200, "{}"); };
    r.get("/", ok);
    r.get("/healthz", ok);
    r.get("/readyz", ok);
    r.get("/mysfits", ok);
    r.get("/mysfits/{id}", ok);
    for (const char* action : {"like", "adopt", "fulfill-like", "fulfill-adopt"})
      r.post(std::string("/mysfits/{id}/") + action, ok);
    return r;
  }();
  return router;
}

// The documented id rule, written independently of the code under test.
bool documented_id(std::string_view id) {
  if (id.empty() || id.size() > 64)
    return false;
  for (char c : id) {
    bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
    if (!ok)
      return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto nul = input.find('\0');
  std::string_view method = nul == std::string_view::npos ? "GET" : input.substr(0, nul);
  std::string_view target = nul == std::string_view::npos ? input : input.substr(nul + 1);
  auto question = target.find('?');
  std::string_view path = target.substr(0, question);
  std::string_view query =
      question == std::string_view::npos ? std::string_view{} : target.substr(question + 1);

  auto match = monolith_routes().match(method, path);
  if (match.kind == Router::Match::Kind::kFound) {
    for (auto param : match.params) {
      if (param.empty())
        std::abort();  // a template segment never matches nothing
      if (mysfits::store::is_valid_mysfit_id(param) != documented_id(param))
        std::abort();
    }
  }
  if (match.kind == Router::Match::Kind::kMethodNotAllowed && match.allow.empty())
    std::abort();

  auto filter = mysfits::monolith::parse_list_query(query);
  if (filter.ok() && filter.value().has_value()) {
    const auto& value = filter.value()->value;
    if (value.empty() || value.size() > mysfits::monolith::kMaxFilterValue)
      std::abort();
  }
  return 0;
}
