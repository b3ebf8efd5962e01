#include "cli/status_view.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <map>
#include <vector>

namespace mysfits::cli {
namespace {

namespace json = boost::json;

// Columns separated by three spaces, each as wide as its widest cell, as kubectl prints them.
class Columns {
 public:
  explicit Columns(std::vector<std::string> header) { rows_.push_back(std::move(header)); }
  void add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }

  std::string render() const {
    std::vector<std::size_t> widths(rows_.front().size(), 0);
    for (const auto& row : rows_) {
      for (std::size_t i = 0; i < row.size() && i < widths.size(); ++i)
        widths[i] = std::max(widths[i], row[i].size());
    }
    std::string out;
    for (const auto& row : rows_) {
      std::string line;
      for (std::size_t i = 0; i < row.size() && i < widths.size(); ++i) {
        line += row[i];
        if (i + 1 < row.size())
          line.append(widths[i] - row[i].size() + 3, ' ');
      }
      out += line + "\n";
    }
    return out;
  }

 private:
  std::vector<std::vector<std::string>> rows_;
};

const json::value* field(const json::value* parent, std::string_view key) {
  const json::object* object = parent != nullptr ? parent->if_object() : nullptr;
  return object != nullptr ? object->if_contains(key) : nullptr;
}

std::string text(const json::value* value, std::string fallback = "-") {
  if (value == nullptr)
    return fallback;
  if (const auto* s = value->if_string())
    return s->empty() ? fallback : std::string(*s);
  if (value->is_number() || value->is_bool())
    return json::serialize(*value);
  return fallback;
}

const json::array& array(const json::value* value) {
  static const json::array kEmpty;
  const json::array* a = value != nullptr ? value->if_array() : nullptr;
  return a != nullptr ? *a : kEmpty;
}

long long integer(const json::value* value) {
  if (value == nullptr)
    return 0;
  if (value->is_int64())
    return value->get_int64();
  if (value->is_uint64())
    return static_cast<long long>(value->get_uint64());
  return 0;
}

std::string conditions_text(const json::value& rule) {
  std::string out;
  for (const auto& condition : array(field(&rule, "conditions"))) {
    const json::value* summary = field(&condition, "summary");
    out += (out.empty() ? "" : " AND ") +
           text(summary != nullptr ? summary : field(&condition, "field"));
  }
  return out.empty() ? "(any request)" : out;
}

std::string action_text(const json::value* action) {
  const std::string type = text(field(action, "type"));
  if (type == "forward")
    return type;
  return type + " " + text(field(action, "statusCode"), "");
}

// "mythical-mysfits-like:80 weight 90 (90%), mythical-mysfits-nolike:80 weight 10 (10%)": the
// share is the leg's weight over the rule's total, as the ALB splits requests.
std::string target_groups_text(const json::value* action) {
  const json::array& legs = array(field(action, "targetGroups"));
  if (legs.empty())
    return "-";
  long long total = 0;
  for (const auto& leg : legs)
    total += integer(field(&leg, "weight"));
  std::string out;
  for (const auto& leg : legs) {
    const long long weight = integer(field(&leg, "weight"));
    const long long share = legs.size() == 1 ? 100 : total > 0 ? weight * 100 / total : 0;
    const json::value* service = field(&leg, "serviceName");
    std::string name = service != nullptr ? text(service) + ":" + text(field(&leg, "servicePort"))
                                          : text(field(&leg, "targetGroup"));
    out += (out.empty() ? "" : ", ") + name + " weight " + std::to_string(weight) + " (" +
           std::to_string(share) + "%)";
  }
  return out;
}

std::vector<std::string> target_row(const std::string& group, const json::value& target,
                                    const std::string& health) {
  return {group,
          text(field(&target, "address")),
          health,
          std::to_string(integer(field(&target, "in_flight"))),
          std::to_string(integer(field(&target, "requests"))),
          text(field(&target, "reason"))};
}

}  // namespace

json::object status_document(std::string_view stage, std::string_view gateway_url,
                             std::string_view status_page_url, const json::object& gateway_status) {
  json::object out;
  out["stage"] = stage;
  out["gateway"] = gateway_url;
  out["status_page"] = status_page_url;
  for (const auto& [key, value] : gateway_status) {
    if (!out.contains(key))
      out[key] = value;
  }
  return out;
}

std::string render_status(const json::object& document) {
  const json::value root(document);
  std::string out;
  Columns stage({"STAGE", "GATEWAY", "STATUS PAGE", "LOAD BALANCER", "GENERATION"});
  stage.add({text(field(&root, "stage")), text(field(&root, "gateway")),
             text(field(&root, "status_page")), text(field(&root, "load_balancer")),
             text(field(&root, "generation"))});
  out += stage.render();
  if (auto error = text(field(&root, "last_reload_error"), ""); !error.empty())
    out += "Last reload refused: " + error + " (the previous rules and targets still serve)\n";
  for (const auto& warning : array(field(&root, "warnings")))
    out += "Warning: " + text(&warning) + "\n";

  const json::value* listener = field(&root, "listener");
  Columns rules({"PRIORITY", "CONDITIONS", "ACTION", "TARGET GROUPS"});
  std::vector<const json::value*> ordered;
  for (const auto& rule : array(field(listener, "rules")))
    ordered.push_back(&rule);
  std::stable_sort(ordered.begin(), ordered.end(), [](const auto* a, const auto* b) {
    return integer(field(a, "priority")) < integer(field(b, "priority"));
  });
  for (const json::value* rule : ordered) {
    const json::value* action = field(rule, "action");
    rules.add({text(field(rule, "priority")), conditions_text(*rule), action_text(action),
               target_groups_text(action)});
  }
  if (const json::value* fallback = field(listener, "default")) {
    const json::value* action = field(fallback, "action");
    rules.add({"default", "(no rule matched)", action_text(action), target_groups_text(action)});
  }
  out += "\nLISTENER " + text(field(listener, "protocol")) + ":" + text(field(listener, "port")) +
         "\n" + rules.render();

  Columns targets({"TARGET GROUP", "TARGET", "HEALTH", "IN-FLIGHT", "REQUESTS", "REASON"});
  std::map<std::string, std::string> names;  // target group id -> "service:port"
  std::string notes;
  for (const auto& group : array(field(&root, "target_groups"))) {
    const std::string name = text(field(&group, "upstream"));
    names[text(field(&group, "id"))] = name;
    const json::array& members = array(field(&group, "targets"));
    if (members.empty())
      targets.add({name, "<none>", "-", "0", "0", "no registered targets: requests get 503"});
    for (const auto& target : members)
      targets.add(target_row(name, target, text(field(&target, "state"))));
    if (const json::value* open = field(&group, "failing_open");
        open && open->is_bool() && open->get_bool()) {
      notes += name + ": no target is healthy; failing open (requests go to every target)\n";
    }
  }
  for (const auto& target : array(field(&root, "draining"))) {
    const std::string id = text(field(&target, "target_group"));
    targets.add(target_row(names.count(id) != 0 ? names[id] : id, target, "draining"));
  }
  out += "\n" + targets.render() + notes;
  return out;
}

}  // namespace mysfits::cli
