#include "services/gateway/status_page.hpp"

#include <boost/json.hpp>
#include <chrono>

#include "ingress/rule_json.hpp"

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

std::string escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string conditions_text(const ingress::Rule& rule) {
  std::string out;
  for (const auto& c : rule.conditions)
    out += (out.empty() ? "" : " AND ") + ingress::describe_condition(c);
  return out.empty() ? "(any request)" : out;
}

std::string row(std::initializer_list<std::string> cells) {
  std::string out = "<tr>";
  for (const auto& cell : cells)
    out += "<td>" + escape(cell) + "</td>";
  return out + "</tr>\n";
}

}  // namespace

std::string status_json(const GatewayState& state) {
  auto snapshot = state.current();
  const auto& listener = snapshot->routes.listener();
  json::object root;
  root["load_balancer"] = snapshot->load_balancer.group;
  root["generation"] = snapshot->generation;
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
  for (const auto& w : snapshot->load_balancer.warnings)
    warnings.push_back(json::string(w));
  root["warnings"] = std::move(warnings);
  return json::serialize(root);
}

std::string status_html(const GatewayState& state) {
  auto snapshot = state.current();
  const auto& listener = snapshot->routes.listener();
  std::string html =
      "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>mysfits-gateway</title>"
      "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;"
      "margin-bottom:1.5em}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}"
      ".healthy{color:#070}.unhealthy{color:#b00}.draining,.initial{color:#a60}</style>"
      "</head><body>\n";
  html += "<h1>Load balancer " + escape(snapshot->load_balancer.group) + "</h1>\n";
  html += "<p>Configuration generation " + std::to_string(snapshot->generation) + ".";
  if (auto error = state.last_reload_error(); !error.empty())
    html += " <strong>Last reload refused:</strong> " + escape(error);
  html += "</p>\n<h2>Listener " + escape(listener.protocol) + ":" + std::to_string(listener.port) +
          " rules</h2>\n<table>\n"
          "<tr><th>priority</th><th>conditions</th><th>action</th><th>from</th></tr>\n";
  for (const auto& rule : listener.rules) {
    html += row({std::to_string(rule.priority), conditions_text(rule),
                 ingress::describe_action(rule.action), rule.origin});
  }
  html += row({"default", "(no rule matched)", ingress::describe_action(listener.default_action),
               listener.default_origin});
  html += "</table>\n<h2>Target groups</h2>\n";
  for (const auto& [id, group] : snapshot->groups) {
    const auto& hc = group->config().health_check;
    html += "<h3>" + escape(id) + " &larr; " + escape(group->upstream_key()) + "</h3>\n<p>" +
            escape(std::string(ingress::algorithm_name(group->config().algorithm))) +
            "; health check " + escape(hc.protocol + " " + hc.path) + " every " +
            std::to_string(hc.interval_seconds) + " s, timeout " +
            std::to_string(hc.timeout_seconds) + " s, healthy after " +
            std::to_string(hc.healthy_threshold) + ", unhealthy after " +
            std::to_string(hc.unhealthy_threshold) + ", codes " + escape(hc.success_codes.text()) +
            (group->failing_open() ? "; <strong>failing open</strong>" : "") + "</p>\n";
    if (group->targets().empty()) {
      html += "<p><strong>No registered targets: requests get 503.</strong></p>\n";
      continue;
    }
    html +=
        "<table>\n<tr><th>target</th><th>state</th><th>reason</th><th>in flight</th>"
        "<th>requests</th></tr>\n";
    for (const auto& t : group->targets()) {
      const std::string state_text(state_name(t->state()));
      html += "<tr><td>" + escape(t->address()) + "</td><td class=\"" + state_text + "\">" +
              state_text + "</td><td>" + escape(t->health_reason()) + "</td><td>" +
              std::to_string(t->in_flight()) + "</td><td>" + std::to_string(t->requests()) +
              "</td></tr>\n";
    }
    html += "</table>\n";
  }
  const auto draining = state.draining();
  if (!draining.empty()) {
    html +=
        "<h2>Draining</h2>\n<table>\n<tr><th>target group</th><th>target</th>"
        "<th>in flight</th></tr>\n";
    for (const auto& d : draining)
      html += row({d.group, d.target->address(), std::to_string(d.target->in_flight())});
    html += "</table>\n";
  }
  return html + "</body></html>\n";
}

void add_status_routes(core::Router& router, const GatewayState& state) {
  router.get("/status.json", core::SyncHandler([&state](const core::Request&) {
               return core::Response::json(200, status_json(state));
             }));
  router.get("/status", core::SyncHandler([&state](const core::Request&) {
               core::Response r;
               r.content_type = "text/html; charset=utf-8";
               r.body = status_html(state);
               return r;
             }));
}

}  // namespace mysfits::gateway
