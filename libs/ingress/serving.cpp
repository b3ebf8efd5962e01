#include "ingress/serving.hpp"

#include "ingress/annotations.hpp"
#include "ingress/manifest.hpp"

namespace mysfits::ingress {

core::Result<Serving> load_serving(const std::vector<std::string>& files) {
  auto manifests = load_manifest_files(files);
  if (!manifests)
    return manifests.error();
  auto balancers = build_load_balancers(*manifests);
  if (!balancers)
    return balancers.error();
  if (balancers->empty()) {
    std::string names;
    for (const std::string& file : files)
      names += (names.empty() ? "" : ", ") + file;
    return manifest_error("no Ingress of class alb in " + names);
  }
  Serving out;
  out.load_balancer = std::move(balancers->front());
  if (balancers->size() > 1) {
    out.notes.push_back("the files make " + std::to_string(balancers->size()) +
                        " load balancers (one per Ingress group); serving the first, " +
                        out.load_balancer.group);
  }
  const Listener* listener = out.load_balancer.serving_listener();
  if (listener == nullptr)
    return manifest_error("the load balancer " + out.load_balancer.group + " has no listener");
  auto table = RouteTable::build(*listener);
  if (!table)
    return table.error();
  out.routes = std::move(*table);
  return out;
}

}  // namespace mysfits::ingress
