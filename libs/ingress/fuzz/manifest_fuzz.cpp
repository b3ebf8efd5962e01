// libFuzzer target: arbitrary bytes as a manifest file. Parsing, building the load balancers and
// compiling and matching the route table must never crash, hang or leak; errors are fine.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "ingress/load_balancer.hpp"
#include "ingress/manifest.hpp"
#include "ingress/route_table.hpp"
#include "ingress/rule_json.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace mysfits::ingress;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  Manifests manifests;
  if (!parse_manifest_text(text, "fuzz.yaml", manifests))
    return 0;
  auto balancers = build_load_balancers(manifests);
  if (!balancers)
    return 0;
  for (const LoadBalancer& lb : *balancers) {
    (void)to_json(lb);
    for (const Listener& listener : lb.listeners) {
      auto table = RouteTable::build(listener);
      if (!table)
        continue;
      RequestView request;
      request.method = "GET";
      request.host = "api.example.com:8080";
      request.source_ip = "10.1.2.3";
      request.headers = {{"X-Canary", "yes"}};
      for (std::string_view target : {"/", "/api/v2/users?v=2&beta", "/mysfits/abc/like", ""}) {
        request.target = target;
        const RouteMatch match = table->match(request);
        (void)describe_action(*match.action);
      }
    }
  }
  return 0;
}
