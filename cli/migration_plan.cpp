#include "cli/migration_plan.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <boost/json.hpp>
#include <sstream>

#include "ingress/rule.hpp"

namespace mysfits::cli {
namespace {

std::string backend_for(const ingress::RouteTable& routes, const std::string& method,
                        const std::string& target) {
  ingress::RequestView request;
  request.method = method;
  request.target = target;
  request.host = "localhost";
  request.source_ip = "127.0.0.1";
  const auto match = routes.match(request);
  return match.action != nullptr ? ingress::describe_action(*match.action) : "none";
}

// A path of the rule's pattern: each wildcard stands for one segment's worth of text.
std::string example_of(const std::string& pattern) {
  std::string out = pattern;
  std::replace(out.begin(), out.end(), '*', 'x');
  std::replace(out.begin(), out.end(), '?', 'x');
  return out;
}

std::string forward_action(const std::string& service, const std::string& old_service,
                           const std::string& old_port, int weight) {
  boost::json::array groups;
  groups.push_back({{"serviceName", service}, {"servicePort", "80"}, {"weight", weight}});
  groups.push_back(
      {{"serviceName", old_service}, {"servicePort", old_port}, {"weight", 100 - weight}});
  return boost::json::serialize(boost::json::object{
      {"type", "forward"}, {"forwardConfig", boost::json::object{{"targetGroups", groups}}}});
}

}  // namespace

const std::vector<RequestClass>& api_request_classes() {
  static const std::vector<RequestClass> classes = {
      {"GET", "/"},
      {"GET", "/mysfits"},
      {"GET", "/mysfits?filter=GoodEvil&value=Good"},
      {"GET", "/mysfits/x"},
      {"POST", "/mysfits/x/like"},
      {"POST", "/mysfits/x/adopt"},
      {"POST", "/mysfits/x/fulfill-like"},
      {"POST", "/mysfits/x/fulfill-adopt"},
      {"GET", "/healthz"},
      {"GET", "/readyz"},
  };
  return classes;
}

std::vector<RouteChange> route_changes(const ingress::RouteTable& before,
                                       const ingress::RouteTable& after) {
  std::vector<RouteChange> changes;
  for (const auto& c : api_request_classes()) {
    auto was = backend_for(before, c.method, c.example);
    auto now = backend_for(after, c.method, c.example);
    if (was != now)
      changes.push_back({c.method, c.example, std::move(was), std::move(now)});
  }
  return changes;
}

std::string to_json_line(const RouteChange& change) {
  boost::json::object line{{"method", change.method},
                           {"example", change.example},
                           {"before", change.before},
                           {"after", change.after}};
  return boost::json::serialize(line);
}

core::Result<std::string> canary_ingress(const std::string& new_stage_yaml,
                                         const ingress::RouteTable& old_routes,
                                         const std::vector<std::string>& new_services, int weight) {
  using core::Errc;
  using core::Error;
  YAML::Node ingress;
  try {
    ingress = YAML::Load(new_stage_yaml);
  } catch (const YAML::Exception& e) {
    return Error{Errc::kBadRequest, std::string("the new stage's Ingress: ") + e.what()};
  }
  int moved = 0;
  for (auto rule : ingress["spec"]["rules"]) {
    for (auto path : rule["http"]["paths"]) {
      auto service = path["backend"]["service"];
      const auto name = service["name"].as<std::string>("");
      if (std::find(new_services.begin(), new_services.end(), name) == new_services.end())
        continue;
      const auto pattern = path["path"].as<std::string>("/");
      const auto old = backend_for(old_routes, "GET", example_of(pattern));
      const auto colon = old.rfind(':');
      if (colon == std::string::npos || old.find(',') != std::string::npos ||
          old.starts_with("fixed-response:") || old.starts_with("redirect:"))
        return Error{Errc::kBadRequest, "cannot canary " + pattern +
                                            ": the old stage answers it with " + old +
                                            ", not one Service"};
      const auto action = "canary-" + name;
      ingress["metadata"]["annotations"]["alb.ingress.kubernetes.io/actions." + action] =
          forward_action(name, old.substr(0, colon), old.substr(colon + 1), weight);
      service["name"] = action;
      service["port"] = YAML::Node(YAML::NodeType::Map);
      service["port"]["name"] = "use-annotation";
      ++moved;
    }
  }
  if (moved == 0)
    return Error{Errc::kBadRequest,
                 "nothing to canary: no path of the new stage routes to "
                 "a service it adds"};
  YAML::Emitter out;
  out << ingress;
  return std::string(out.c_str()) + "\n";
}

}  // namespace mysfits::cli
