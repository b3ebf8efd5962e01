// The status page as HTML: the website's masthead and colours (site.css) around the ALB
// console's Rules and Target groups tabs. Every value from the manifests is escaped; the page
// loads its styles and its refresh script from the admin port itself, so its Content Security
// Policy needs no 'unsafe-inline'.
#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <ctime>

#include "ingress/rule_json.hpp"
#include "services/gateway/status_page.hpp"

namespace mysfits::gateway {
namespace {

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

std::string utc_time(std::chrono::system_clock::time_point when) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(when);
  std::tm utc{};
  ::gmtime_r(&seconds, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S UTC", &utc);
  return text;
}

std::string conditions_cell(const ingress::Rule& rule) {
  if (rule.conditions.empty())
    return "(any request)";
  std::string out;
  for (const auto& c : rule.conditions)
    out += (out.empty() ? "" : "<br>AND ") + escape(ingress::describe_condition(c));
  return out;
}

// A forward action lists each target group with its weight and share of the requests (one
// line per leg, so a weighted canary reads at a glance); other actions their summary.
std::string action_cell(const ingress::Action& action) {
  const auto* forward = std::get_if<ingress::Forward>(&action);
  if (forward == nullptr)
    return escape(ingress::describe_action(action));
  long total = 0;
  for (const auto& leg : forward->target_groups)
    total += leg.weight;
  std::string out = "forward<ul class=\"legs\">";
  for (const auto& leg : forward->target_groups) {
    const long share = forward->target_groups.size() == 1 ? 100
                       : total > 0                        ? leg.weight * 100L / total
                                                          : 0;
    out += "<li><code>" + escape(leg.external ? leg.target_group : leg.service + ":" + leg.port) +
           "</code> weight " + std::to_string(leg.weight) + " (" + std::to_string(share) +
           "%)</li>";
  }
  return out + "</ul>";
}

std::string rule_row(const std::string& priority, const std::string& conditions,
                     const ingress::Action& action, const std::string& origin) {
  return "<tr><td>" + priority + "</td><td>" + conditions + "</td><td>" + action_cell(action) +
         "</td><td class=\"origin\">" + escape(origin) + "</td></tr>\n";
}

std::string rules_section(const Snapshot& snapshot) {
  const auto& listener = snapshot.routes.listener();
  std::string html =
      "<section aria-labelledby=\"rules-title\">\n<h2 id=\"rules-title\">Listener " +
      escape(listener.protocol) + ":" + std::to_string(listener.port) +
      " rules</h2>\n<div class=\"table-frame\" tabindex=\"0\" role=\"region\" "
      "aria-labelledby=\"rules-title\"><table>\n<thead><tr><th scope=\"col\">Priority"
      "</th><th scope=\"col\">Conditions</th><th scope=\"col\">Action</th><th scope=\"col\">"
      "From</th></tr></thead>\n<tbody>\n";
  for (const auto& rule : listener.rules)
    html +=
        rule_row(std::to_string(rule.priority), conditions_cell(rule), rule.action, rule.origin);
  html +=
      rule_row("default", "(no rule matched)", listener.default_action, listener.default_origin);
  return html + "</tbody></table></div>\n</section>\n";
}

// group: named under the address (for draining targets, whose group may be gone).
std::string target_row(const Target& target, std::string_view state, std::string_view group = {}) {
  return "<tr><td><code>" + escape(target.address()) + "</code>" +
         (group.empty() ? "" : "<br><span class=\"origin\">" + escape(group) + "</span>") +
         "</td><td><span class=\"tag tag-" + std::string(state) + "\">" + std::string(state) +
         "</span></td><td>" + escape(target.health_reason()) + "</td><td class=\"number\">" +
         std::to_string(target.in_flight()) + "</td><td class=\"number\">" +
         std::to_string(target.requests()) + "</td></tr>\n";
}

// The frame of a targets table, labelled by the heading with id title_id.
std::string targets_head(const std::string& title_id) {
  return "<div class=\"table-frame\" tabindex=\"0\" role=\"region\" aria-labelledby=\"" + title_id +
         "\"><table>\n<thead><tr><th scope=\"col\">Target</th>"
         "<th scope=\"col\">Health</th><th scope=\"col\">Reason</th><th scope=\"col\">In "
         "flight</th>"
         "<th scope=\"col\">Requests</th></tr></thead>\n<tbody>\n";
}

std::string group_part(const TargetGroup& group, const std::string& title_id) {
  const auto& config = group.config();
  const auto& hc = config.health_check;
  std::string html =
      "<h3 id=\"" + title_id + "\">" + escape(group.upstream_key()) +
      "</h3>\n<p class=\"group-meta\">" + escape(config.id) + "; " +
      escape(std::string(ingress::algorithm_name(config.algorithm))) + "; health check " +
      escape(hc.protocol + " " + hc.path) + " every " + std::to_string(hc.interval_seconds) +
      " s, timeout " + std::to_string(hc.timeout_seconds) + " s, healthy after " +
      std::to_string(hc.healthy_threshold) + ", unhealthy after " +
      std::to_string(hc.unhealthy_threshold) + ", codes " + escape(hc.success_codes.text()) +
      (group.failing_open() ? "; <strong>failing open</strong>" : "") + "; " +
      std::to_string(group.traffic().requests()) + " requests, " +
      std::to_string(group.traffic().errors_5xx()) + " answered 5xx</p>\n";
  if (group.targets().empty())
    return html + "<p><strong>No registered targets: requests get 503.</strong></p>\n";
  html += targets_head(title_id);
  for (const auto& t : group.targets())
    html += target_row(*t, state_name(t->state()));
  return html + "</tbody></table></div>\n";
}

std::string text_of(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (v == nullptr || v->is_null())
    return "";
  if (v->is_string())
    return escape(v->as_string());
  if (v->is_double()) {
    char out[32];
    std::snprintf(out, sizeof out, "%.1f", v->as_double());
    return out;
  }
  return escape(boost::json::serialize(*v));
}

// The canary `mysfits migrate --canary` runs: each step's weight and analysis, as Argo Rollouts'
// dashboard shows a rollout's steps.
std::string canary_section(const boost::json::object& report) {
  const auto* steps = report.if_contains("steps");
  if (steps == nullptr || !steps->is_array())
    return "";
  std::string html =
      "<section aria-labelledby=\"canary-title\">\n<h2 id=\"canary-title\">Canary: " +
      text_of(report, "from") + " to " + text_of(report, "to") + " (" + text_of(report, "state") +
      ")</h2>\n<p>" + text_of(report, "message") +
      "</p>\n<div class=\"table-frame\" tabindex=\"0\" role=\"region\" "
      "aria-labelledby=\"canary-title\"><table>\n<thead><tr><th scope=\"col\">Weight</th>"
      "<th scope=\"col\">Requests</th><th scope=\"col\">5xx</th><th scope=\"col\">p99 "
      "(ms)</th><th scope=\"col\">Windows</th><th scope=\"col\">Verdict</th></tr></thead>\n"
      "<tbody>\n";
  for (const auto& step : steps->as_array()) {
    if (!step.is_object())
      continue;
    const auto& o = step.as_object();
    html += "<tr><td class=\"number\">" + text_of(o, "weight") + "%</td><td class=\"number\">" +
            text_of(o, "requests") + "</td><td class=\"number\">" + text_of(o, "errors_5xx") +
            "</td><td class=\"number\">" + text_of(o, "p99_ms") + "</td><td class=\"number\">" +
            text_of(o, "windows") + "</td><td>" + text_of(o, "verdict") + " " +
            text_of(o, "reason") + "</td></tr>\n";
  }
  return html + "</tbody></table></div>\n</section>\n";
}

std::string groups_section(const Snapshot& snapshot, const std::vector<DrainingTarget>& draining) {
  std::string html =
      "<section aria-labelledby=\"groups-title\">\n<h2 id=\"groups-title\">Target groups</h2>\n";
  int index = 0;
  for (const auto& [id, group] : snapshot.groups)
    html += group_part(*group, "group-" + std::to_string(++index));
  if (!draining.empty()) {
    html += "<h3 id=\"draining\">Draining after a reload</h3>\n" + targets_head("draining");
    for (const auto& d : draining)
      html += target_row(*d.target, "draining", d.group);
    html += "</tbody></table></div>\n";
  }
  return html + "</section>\n";
}

}  // namespace

std::string status_html(const GatewayState& state) {
  const auto snapshot = state.current();
  const std::string group = escape(snapshot->load_balancer.group);
  std::string html =
      "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<title>Gateway status: " +
      group +
      "</title>\n"
      "<link rel=\"icon\" href=\"/status/logo.svg\" type=\"image/svg+xml\">\n"
      "<link rel=\"stylesheet\" href=\"/status/site.css\">\n"
      "<link rel=\"stylesheet\" href=\"/status/status.css\">\n"
      "<script type=\"module\" src=\"/status/status.js\"></script>\n"
      "</head>\n<body>\n<header class=\"masthead\"><div class=\"masthead-inner\">"
      "<img class=\"logo\" src=\"/status/logo.svg\" alt=\"\" width=\"56\" height=\"56\">"
      "<div><h1>Gateway status</h1><p class=\"tagline\">Load balancer " +
      group +
      ": its rules and target groups, as the ALB console shows them.</p></div>"
      "</div></header>\n<main>\n<div class=\"status-bar\"><p id=\"status-updated\">"
      "Configuration generation " +
      std::to_string(snapshot->generation) + ", loaded " + utc_time(snapshot->loaded_at) +
      "; shown at " + utc_time(std::chrono::system_clock::now()) +
      ".</p><button id=\"status-pause\" type=\"button\" aria-pressed=\"false\" hidden>"
      "Pause updates</button></div>\n"
      "<div id=\"status-alert\" class=\"alert\" role=\"alert\" hidden></div>\n"
      "<div id=\"status-content\">\n";
  if (auto error = state.last_reload_error(); !error.empty()) {
    html += "<div class=\"alert\"><p><strong>Last reload refused:</strong> " + escape(error) +
            " The previous rules and targets still serve.</p></div>\n";
  }
  for (const auto& warning : snapshot->notes)
    html += "<div class=\"alert\"><p><strong>Warning:</strong> " + escape(warning) + "</p></div>\n";
  html += canary_section(state.canary_report());
  html += rules_section(*snapshot);
  html += groups_section(*snapshot, state.draining());
  return html +
         "</div>\n</main>\n<footer class=\"footer\"><p>mysfits-gateway. The same for tools: "
         "<a href=\"/status.json\">/status.json</a> (or <code>mysfits status</code>).</p>"
         "</footer>\n</body>\n</html>\n";
}

}  // namespace mysfits::gateway
