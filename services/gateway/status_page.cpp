#include "services/gateway/status_page.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>

#include "ingress/rule_json.hpp"
#include "services/gateway/status_assets.hpp"

namespace mysfits::gateway {
namespace {

namespace json = boost::json;

json::object target_json(const Target& t) {
  json::object o;
  o["address"] = t.address();
  o["health_check"] = t.health_endpoint;
  o["state"] = std::string(state_name(t.state()));
  o["reason"] = t.health_reason();
  o["in_flight"] = t.in_flight();
  o["requests"] = t.requests();
  return o;
}

// The page and its assets: no inline script or style anywhere, so the policy allows only the
// admin port's own files (and the logo as a data: URI, as the website's policy does).
constexpr const char* kPagePolicy =
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'";

core::Response asset(std::string_view body, const char* content_type) {
  core::Response r;
  r.content_type = content_type;
  r.body = std::string(body);
  r.headers.emplace_back("Cache-Control", "no-cache");
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  return r;
}

// A canary report as `mysfits up` writes it: an object with a known state and a list of steps.
// Anything else is refused, so the page never shows half a report.
constexpr std::size_t kMaxReportBytes = 64 * 1024;

core::Response put_canary_report(GatewayState& state, const core::Request& request) {
  if (request.body().size() > kMaxReportBytes)
    return core::Response::error(413, "too_large", "a canary report is at most 64 KiB");
  boost::system::error_code ec;
  auto doc = json::parse(request.body(), ec);
  const json::object* report = !ec ? doc.if_object() : nullptr;
  const json::value* phase = report != nullptr ? report->if_contains("state") : nullptr;
  const json::value* steps = report != nullptr ? report->if_contains("steps") : nullptr;
  static constexpr std::string_view kStates[] = {"starting", "running", "succeeded", "failed",
                                                 "aborted"};
  const bool known_state =
      phase != nullptr && phase->is_string() &&
      std::find(std::begin(kStates), std::end(kStates), phase->as_string()) != std::end(kStates);
  if (!known_state || steps == nullptr || !steps->is_array()) {
    return core::Response::error(
        400, "bad_request",
        "a canary report is a JSON object with \"state\" (starting, running, succeeded, failed "
        "or aborted) and \"steps\" (an array)");
  }
  for (const auto& step : steps->as_array()) {
    if (!step.is_object())
      return core::Response::error(400, "bad_request", "each of \"steps\" is an object");
  }
  state.set_canary_report(std::move(doc.as_object()));
  core::Response accepted;
  accepted.status = 204;
  accepted.content_type.clear();
  return accepted;
}

}  // namespace

std::string status_json(const GatewayState& state) {
  auto snapshot = state.current();
  const auto& listener = snapshot->routes.listener();
  json::object root;
  root["load_balancer"] = snapshot->load_balancer.group;
  root["generation"] = state.serving_generation();
  root["loaded_at"] =
      std::chrono::duration_cast<std::chrono::seconds>(snapshot->loaded_at.time_since_epoch())
          .count();
  root["last_reload_error"] = state.last_reload_error();
  root["listener"] = ingress::to_json(listener);
  json::array groups;
  for (const auto& [id, group] : snapshot->groups) {
    json::object g;
    g["id"] = id;
    g["upstream"] = group->upstream_key();
    g["config"] = ingress::to_json(group->config());
    g["failing_open"] = group->failing_open();
    g["traffic"] = group->traffic().to_json();
    json::array targets;
    for (const auto& t : group->targets())
      targets.push_back(target_json(*t));
    g["targets"] = std::move(targets);
    groups.push_back(std::move(g));
  }
  root["target_groups"] = std::move(groups);
  json::array draining;
  for (const auto& d : state.draining()) {
    auto t = target_json(*d.target);
    t["target_group"] = d.group;
    draining.push_back(std::move(t));
  }
  root["draining"] = std::move(draining);
  json::array warnings;
  for (const auto& w : snapshot->notes)
    warnings.push_back(json::string(w));
  root["warnings"] = std::move(warnings);
  root["canary"] = state.canary_report();
  return json::serialize(root);
}

void add_status_routes(core::Router& router, GatewayState& state) {
  router.add("PUT", "/canary", core::SyncHandler([&state](const core::Request& request) {
               return put_canary_report(state, request);
             }),
             nullptr);
  router.get("/status.json", core::SyncHandler([&state](const core::Request&) {
               auto r = core::Response::json(200, status_json(state));
               r.headers.emplace_back("Cache-Control", "no-store");
               return r;
             }));
  router.get("/status", core::SyncHandler([&state](const core::Request&) {
               auto r = asset(status_html(state), "text/html; charset=utf-8");
               r.headers.emplace_back("Content-Security-Policy", kPagePolicy);
               return r;
             }));
  const std::pair<std::string, core::Response> assets[] = {
      {"/status/site.css", asset(status_assets::kSiteCss, "text/css; charset=utf-8")},
      {"/status/status.css", asset(status_assets::kStatusCss, "text/css; charset=utf-8")},
      {"/status/status.js", asset(status_assets::kStatusJs, "text/javascript; charset=utf-8")},
      {"/status/logo.svg", asset(status_assets::kLogoSvg, "image/svg+xml")},
  };
  for (const auto& [path, response] : assets)
    router.get(path, core::SyncHandler([response](const core::Request&) { return response; }));
}

}  // namespace mysfits::gateway
