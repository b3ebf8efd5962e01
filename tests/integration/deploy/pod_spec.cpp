#include "pod_spec.hpp"

#include <charconv>
#include <cmath>

namespace mysfits::testing::deploy {

namespace {

std::optional<long> integer(const YAML::Node& node) {
  const auto text = str(node);
  long value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size())
    return std::nullopt;
  return value;
}

void read_environment(const ManifestSet& set, const YAML::Node& container, PodSpec& pod) {
  for (const auto& var : container["env"]) {
    const auto name = str(var["name"]);
    if (var["value"]) {
      pod.env[name] = str(var["value"]);
    } else if (const auto ref = var["valueFrom"]["configMapKeyRef"]; ref) {
      const auto map = set.find("ConfigMap", str(ref["name"]));
      if (!map || !map["data"][str(ref["key"])])
        pod.errors.push_back(name + ": no ConfigMap " + str(ref["name"]) + " with key " +
                             str(ref["key"]) + " in the render");
      else
        pod.env[name] = str(map["data"][str(ref["key"])]);
    } else {
      pod.errors.push_back(name + ": a value source this reading does not know");
    }
  }
}

void read_security(const YAML::Node& pod_spec_node, const YAML::Node& container, PodSpec& pod) {
  // A container's own setting overrides the pod's.
  for (const auto& context : {pod_spec_node["securityContext"], container["securityContext"]}) {
    if (!context)
      continue;
    if (const auto user = integer(context["runAsUser"]))
      pod.run_as_user = user;
    if (const auto group = integer(context["runAsGroup"]))
      pod.run_as_group = group;
    if (context["runAsNonRoot"])
      pod.run_as_non_root = context["runAsNonRoot"].as<bool>();
  }
  const auto context = container["securityContext"];
  pod.read_only_root =
      context["readOnlyRootFilesystem"] && context["readOnlyRootFilesystem"].as<bool>();
  if (context["allowPrivilegeEscalation"])
    pod.allow_privilege_escalation = context["allowPrivilegeEscalation"].as<bool>();
  for (const auto& capability : context["capabilities"]["drop"])
    pod.dropped_capabilities.push_back(str(capability));
}

void read_volumes(const YAML::Node& pod_spec_node, const YAML::Node& container, PodSpec& pod) {
  std::map<std::string, std::string> empty_dir_sizes;
  for (const auto& volume : pod_spec_node["volumes"]) {
    if (volume["emptyDir"])
      empty_dir_sizes[str(volume["name"])] = str(volume["emptyDir"]["sizeLimit"]);
    else
      pod.errors.push_back("volume " + str(volume["name"]) + ": only emptyDir is known here");
  }
  for (const auto& mount : container["volumeMounts"]) {
    const auto it = empty_dir_sizes.find(str(mount["name"]));
    if (it == empty_dir_sizes.end())
      pod.errors.push_back("volumeMount " + str(mount["name"]) + ": no such volume");
    else
      pod.empty_dirs.push_back({str(mount["mountPath"]), it->second});
  }
}

}  // namespace

PodSpec pod_spec(const ManifestSet& set, const std::string& deployment) {
  PodSpec pod;
  pod.deployment = deployment;
  const auto object = set.find("Deployment", deployment);
  if (!object) {
    pod.errors.push_back("no Deployment " + deployment + " in the render");
    return pod;
  }
  const auto spec = object["spec"]["template"]["spec"];
  const auto container = spec["containers"][0];
  pod.image = str(container["image"]);
  read_environment(set, container, pod);
  read_security(spec, container, pod);
  read_volumes(spec, container, pod);
  pod.memory_limit = str(container["resources"]["limits"]["memory"]);
  pod.cpu_limit = str(container["resources"]["limits"]["cpu"]);
  return pod;
}

std::optional<long long> quantity_bytes(const std::string& quantity) {
  static const std::vector<std::pair<std::string, long long>> kSuffixes = {
      {"Ki", 1LL << 10}, {"Mi", 1LL << 20}, {"Gi", 1LL << 30},   {"Ti", 1LL << 40},
      {"k", 1000LL},     {"M", 1000000LL},  {"G", 1000000000LL}, {"", 1}};
  for (const auto& [suffix, factor] : kSuffixes) {
    if (quantity.size() <= suffix.size() ||
        quantity.compare(quantity.size() - suffix.size(), suffix.size(), suffix) != 0)
      continue;
    const auto number = quantity.substr(0, quantity.size() - suffix.size());
    long long value = 0;
    const auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
    if (ec == std::errc() && end == number.data() + number.size())
      return value * factor;
  }
  return std::nullopt;
}

std::optional<long long> quantity_millicores(const std::string& quantity) {
  if (quantity.empty())
    return std::nullopt;
  if (quantity.back() == 'm') {
    long long value = 0;
    const auto [end, ec] =
        std::from_chars(quantity.data(), quantity.data() + quantity.size() - 1, value);
    if (ec == std::errc() && end == quantity.data() + quantity.size() - 1)
      return value;
    return std::nullopt;
  }
  double cores = 0;
  const auto [end, ec] = std::from_chars(quantity.data(), quantity.data() + quantity.size(), cores);
  if (ec != std::errc() || end != quantity.data() + quantity.size())
    return std::nullopt;
  return static_cast<long long>(std::llround(cores * 1000));
}

}  // namespace mysfits::testing::deploy
