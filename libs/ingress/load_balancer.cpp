#include "ingress/load_balancer.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <regex>
#include <set>

#include "ingress/alb_limits.hpp"
#include "ingress/annotations.hpp"
#include "ingress/listener_builder.hpp"

namespace mysfits::ingress {
namespace {

constexpr std::string_view kClassAnnotation = "kubernetes.io/ingress.class";
constexpr std::string_view kController = "ingress.k8s.aws/alb";
// Must agree across a group, or the controller refuses the whole group.
constexpr std::string_view kExclusive[] = {"scheme", "ssl-redirect", "load-balancer-name",
                                           "ip-address-type"};

struct Member {
  const Ingress* ingress = nullptr;
  int order = 0;
  std::vector<std::pair<int, std::string>> ports;  // (port, protocol)
};

core::Result<std::vector<std::pair<int, std::string>>> listen_ports(const Ingress& ing) {
  const Annotations a(ing.annotations, ing.describe());
  const std::string* raw = a.find("listen-ports");
  if (raw == nullptr) {
    if (a.find("certificate-arn") != nullptr)
      return std::vector<std::pair<int, std::string>>{{443, "HTTPS"}};
    return std::vector<std::pair<int, std::string>>{{80, "HTTP"}};
  }
  boost::system::error_code ec;
  const boost::json::value v = boost::json::parse(*raw, ec);
  const std::string where = a.where("listen-ports");
  if (ec || !v.is_array() || v.get_array().empty())
    return manifest_error(where + ": expected a JSON list like [{\"HTTP\": 80}]");
  std::vector<std::pair<int, std::string>> out;
  for (const auto& item : v.get_array()) {
    if (!item.is_object() || item.get_object().size() != 1)
      return manifest_error(where + ": each entry must be one {\"HTTP\"|\"HTTPS\": port} object");
    const auto& kv = *item.get_object().begin();
    if (kv.key() != "HTTP" && kv.key() != "HTTPS")
      return manifest_error(where + ": protocol must be HTTP or HTTPS, got '" +
                            std::string(kv.key()) + "'");
    if (!kv.value().is_int64() || kv.value().get_int64() < 1 || kv.value().get_int64() > 65535)
      return manifest_error(where + ": port must be a number in 1..65535");
    out.emplace_back(static_cast<int>(kv.value().get_int64()), std::string(kv.key()));
  }
  return out;
}

core::Result<core::Unit> parse_lb_attributes(LoadBalancerAttributes& attrs,
                                             const std::string& where) {
  const auto get_int = [&](const char* key, int min, int max,
                           int& out) -> core::Result<core::Unit> {
    const auto it = attrs.all.find(key);
    if (it == attrs.all.end())
      return core::Unit{};
    try {
      std::size_t used = 0;
      const int v = std::stoi(it->second, &used);
      if (used == it->second.size() && v >= min && v <= max) {
        out = v;
        return core::Unit{};
      }
    } catch (const std::exception&) {
    }
    return manifest_error(where + ": " + key + " must be an integer in " + std::to_string(min) +
                          ".." + std::to_string(max));
  };
  const auto get_bool = [&](const char* key, bool& out) -> core::Result<core::Unit> {
    const auto it = attrs.all.find(key);
    if (it == attrs.all.end())
      return core::Unit{};
    if (it->second != "true" && it->second != "false")
      return manifest_error(where + ": " + key + " must be true or false");
    out = it->second == "true";
    return core::Unit{};
  };
  for (auto r : {get_int("idle_timeout.timeout_seconds", 1, 4000, attrs.idle_timeout_seconds),
                 get_int("client_keep_alive.seconds", 60, 604800, attrs.client_keep_alive_seconds),
                 get_bool("routing.http.xff_client_port.enabled", attrs.xff_client_port),
                 get_bool("routing.http.preserve_host_header.enabled", attrs.preserve_host_header),
                 get_bool("routing.http.drop_invalid_header_fields.enabled",
                          attrs.drop_invalid_header_fields)}) {
    if (!r)
      return r.error();
  }
  if (const auto it = attrs.all.find("routing.http.xff_header_processing.mode");
      it != attrs.all.end()) {
    if (it->second != "append" && it->second != "preserve" && it->second != "remove")
      return manifest_error(where +
                            ": xff_header_processing.mode must be append, preserve or remove");
    attrs.xff_mode = it->second;
  }
  return core::Unit{};
}

core::Result<LoadBalancer> build_group(const std::string& group, bool explicit_group,
                                       std::vector<Member> members, const Manifests& manifests) {
  std::sort(members.begin(), members.end(), [](const Member& a, const Member& b) {
    return a.order != b.order ? a.order < b.order : a.ingress->key() < b.ingress->key();
  });
  LoadBalancer lb;
  lb.group = group;
  lb.explicit_group = explicit_group;
  std::map<std::string, std::pair<std::string, const Ingress*>> exclusive;
  std::map<std::string, const Ingress*> attribute_owner;
  std::map<int, std::string> listeners;
  for (const Member& m : members) {
    const Ingress& ing = *m.ingress;
    lb.members.push_back(ing.key());
    const Annotations a(ing.annotations, ing.describe());
    for (std::string_view key : kExclusive) {
      const std::string* v = a.find(key);
      if (v == nullptr)
        continue;
      const auto [it, fresh] = exclusive.emplace(std::string(key), std::pair{*v, &ing});
      if (!fresh && it->second.first != *v) {
        return manifest_error(a.where(key) + ": '" + *v + "' conflicts with '" + it->second.first +
                              "' on Ingress " + it->second.second->key() + " of group " + group);
      }
    }
    auto attrs = a.string_map("load-balancer-attributes");
    if (!attrs)
      return attrs.error();
    for (const auto& [k, v] : attrs.value()) {
      const auto [it, fresh] = lb.attributes.all.emplace(k, v);
      if (!fresh && it->second != v) {
        return manifest_error(a.where("load-balancer-attributes") + ": " + k + "=" + v +
                              " conflicts with " + it->second + " on Ingress " +
                              attribute_owner[k]->key());
      }
      attribute_owner.emplace(k, &ing);
    }
    for (const auto& [port, protocol] : m.ports) {
      const auto [it, fresh] = listeners.emplace(port, protocol);
      if (!fresh && it->second != protocol) {
        return manifest_error(a.where("listen-ports") + ": port " + std::to_string(port) + " is " +
                              protocol + " here but " + it->second + " elsewhere");
      }
    }
  }
  if (auto r = parse_lb_attributes(lb.attributes, "group " + group + ": load-balancer-attributes");
      !r)
    return r.error();
  if (const auto it = exclusive.find("scheme"); it != exclusive.end()) {
    if (it->second.first != "internal" && it->second.first != "internet-facing")
      return manifest_error(it->second.second->describe() +
                            ": annotation scheme must be internal or internet-facing");
    lb.scheme = it->second.first;
  }
  if (const auto it = exclusive.find("ssl-redirect"); it != exclusive.end()) {
    const Annotations a(it->second.second->annotations, it->second.second->describe());
    auto port = a.integer("ssl-redirect", 1, 65535);
    if (!port)
      return port.error();
    const auto l = listeners.find(static_cast<int>(**port));
    if (l == listeners.end() || l->second != "HTTPS")
      return manifest_error(a.where("ssl-redirect") + ": port " + std::to_string(**port) +
                            " is not an HTTPS listener of the group");
    lb.ssl_redirect_port = static_cast<int>(**port);
  }
  std::map<std::string, TargetGroupConfig> target_groups;
  ListenerBuilder builder(manifests, target_groups);
  for (const auto& [port, protocol] : listeners) {
    std::vector<const Ingress*> on_port;
    for (const Member& m : members) {
      const bool listens = std::any_of(m.ports.begin(), m.ports.end(),
                                       [p = port](const auto& lp) { return lp.first == p; });
      if (listens)
        on_port.push_back(m.ingress);
    }
    auto listener = builder.build(port, protocol, on_port, lb.ssl_redirect_port);
    if (!listener)
      return listener.error();
    lb.listeners.push_back(std::move(listener.value()));
  }
  for (auto& [id, tg] : target_groups)
    lb.target_groups.push_back(std::move(tg));
  return lb;
}

}  // namespace

const Listener* LoadBalancer::listener(int port) const {
  for (const Listener& l : listeners) {
    if (l.port == port)
      return &l;
  }
  return nullptr;
}

const TargetGroupConfig* LoadBalancer::target_group(const std::string& id) const {
  for (const TargetGroupConfig& tg : target_groups) {
    if (tg.id == id)
      return &tg;
  }
  return nullptr;
}

const Listener* LoadBalancer::serving_listener() const {
  if (ssl_redirect_port)
    return listener(*ssl_redirect_port);
  for (const Listener& l : listeners) {
    if (l.protocol == "HTTP")
      return &l;
  }
  return listeners.empty() ? nullptr : &listeners.front();
}

bool is_alb_ingress(const Ingress& ingress, const std::vector<IngressClass>& classes) {
  if (const auto it = ingress.annotations.find(std::string(kClassAnnotation));
      it != ingress.annotations.end())
    return it->second == "alb";
  if (ingress.class_name) {
    for (const IngressClass& c : classes) {
      if (c.name == *ingress.class_name)
        return c.controller == kController;
    }
    return *ingress.class_name == "alb";
  }
  return std::any_of(classes.begin(), classes.end(), [](const IngressClass& c) {
    return c.is_default && c.controller == kController;
  });
}

core::Result<std::vector<LoadBalancer>> build_load_balancers(const Manifests& manifests) {
  static const std::regex kGroupName("^([a-z0-9][-a-z0-9.]*)?[a-z0-9]$");
  std::map<std::string, std::vector<Member>> explicit_groups;
  std::vector<std::pair<std::string, std::vector<Member>>> implicit_groups;
  std::set<std::string> seen;
  for (const Ingress& ing : manifests.ingresses) {
    if (!is_alb_ingress(ing, manifests.classes))
      continue;
    if (!seen.insert(ing.key()).second)
      return manifest_error(ing.describe() + ": defined twice");
    const Annotations a(ing.annotations, ing.describe());
    Member m;
    m.ingress = &ing;
    auto order = a.integer("group.order", alb_limit::kMinGroupOrder, alb_limit::kMaxGroupOrder);
    if (!order)
      return order.error();
    m.order = static_cast<int>(order->value_or(0));
    auto ports = listen_ports(ing);
    if (!ports)
      return ports.error();
    m.ports = std::move(ports.value());
    if (const std::string* name = a.find("group.name")) {
      if (name->size() > 63 || !std::regex_match(*name, kGroupName))
        return manifest_error(a.where("group.name") + ": '" + *name +
                              "' is not a valid group name (lower-case DNS label, at most 63)");
      explicit_groups[*name].push_back(m);
    } else {
      implicit_groups.push_back({ing.key(), {m}});
    }
  }
  std::vector<LoadBalancer> out;
  for (auto& [name, members] : explicit_groups) {
    auto lb = build_group(name, true, std::move(members), manifests);
    if (!lb)
      return lb.error();
    out.push_back(std::move(lb.value()));
  }
  for (auto& [name, members] : implicit_groups) {
    auto lb = build_group(name, false, std::move(members), manifests);
    if (!lb)
      return lb.error();
    out.push_back(std::move(lb.value()));
  }
  std::string violations;
  for (const LoadBalancer& lb : out) {
    for (const std::string& v : alb_limit_violations(lb))
      violations += (violations.empty() ? "" : "\n") + v;
  }
  if (!violations.empty())
    return manifest_error(violations);
  return out;
}

}  // namespace mysfits::ingress
