// Route matching: what the gateway does for every request before it proxies. The seed's own
// Ingress (two rules), the like-adopt stage (five), and a 100-rule listener (the ALB's limit)
// matched at its first rule, its last rule and on a miss that falls to the default action.
#include <benchmark/benchmark.h>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "ingress/load_balancer.hpp"
#include "ingress/manifest.hpp"
#include "ingress/route_table.hpp"

namespace {

using namespace mysfits::ingress;

std::string read_file(const std::string& relative) {
  std::ifstream in(std::string(MYSFITS_SOURCE_DIR) + "/" + relative);
  if (!in)
    throw std::runtime_error("cannot read " + relative);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The serving listener's table of the one load balancer a manifest file describes.
RouteTable table_of(const std::string& relative) {
  Manifests manifests;
  if (auto parsed = parse_manifest_text(read_file(relative), relative, manifests); !parsed)
    throw std::runtime_error(parsed.error().message);
  auto lbs = build_load_balancers(manifests);
  if (!lbs || lbs->size() != 1 || lbs->front().serving_listener() == nullptr)
    throw std::runtime_error(relative + ": expected one load balancer with a listener");
  auto built = RouteTable::build(*lbs->front().serving_listener());
  if (!built)
    throw std::runtime_error(built.error().message);
  return std::move(built.value());
}

RequestView request(std::string_view method, std::string_view target) {
  RequestView view;
  view.method = method;
  view.target = target;
  view.host = "mysfits.example.com";
  view.headers = {{"Host", "mysfits.example.com"}, {"User-Agent", "wrk"}, {"Accept", "*/*"}};
  view.source_ip = "127.0.0.1";
  return view;
}

// A mix of the seed's traffic: profiles, the list, likes.
const std::vector<RequestView>& seed_traffic() {
  static const std::vector<RequestView> requests = {
      request("GET", "/mysfits/4e53920c-505a-4a90-a694-b9300791f0ae"),
      request("GET", "/mysfits"),
      request("POST", "/mysfits/4e53920c-505a-4a90-a694-b9300791f0ae/like"),
      request("GET", "/mysfits?filter=GoodEvil&value=Evil"),
  };
  return requests;
}

void match_all(benchmark::State& state, const RouteTable& table,
               const std::vector<RequestView>& requests) {
  std::size_t next = 0;
  for (auto _ : state) {
    RouteMatch match = table.match(requests[next++ % requests.size()]);
    benchmark::DoNotOptimize(match.action);
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_RouteSeedIngress(benchmark::State& state) {
  match_all(state, table_of("tests/data/ingress/seed-ingress.yaml"), seed_traffic());
}
BENCHMARK(BM_RouteSeedIngress);

void BM_RouteLikeAdoptStage(benchmark::State& state) {
  match_all(state, table_of("deploy/k8s/stages/like-adopt/ingress.yaml"), seed_traffic());
}
BENCHMARK(BM_RouteLikeAdoptStage);

// 100 rules as a large ALB would have them: path patterns, half with a wildcard segment in the
// middle (the seed's "/mysfits/*/like" shape), the others a prefix pattern.
Listener hundred_rules() {
  Listener listener;
  for (int i = 0; i < 100; ++i) {
    Rule rule;
    rule.priority = i + 1;
    Condition path;
    path.field = ConditionField::kPathPattern;
    const std::string n = std::to_string(i);
    path.values = {i % 2 == 0 ? "/service-" + n + "/*/items" : "/service-" + n + "/*"};
    rule.conditions.push_back(path);
    rule.action = Forward{{TargetGroupRef{"tg-" + n, "service-" + n, "80", 1, false}}};
    rule.origin = "bench rule " + n;
    listener.rules.push_back(std::move(rule));
  }
  return listener;
}

void BM_Route100Rules(benchmark::State& state) {
  auto built = RouteTable::build(hundred_rules());
  if (!built) {
    state.SkipWithError(built.error().message.c_str());
    return;
  }
  static const char* const kTargets[] = {"/service-0/42/items", "/service-99/42/items",
                                         "/not-routed/anywhere"};
  match_all(state, built.value(), {request("GET", kTargets[state.range(0)])});
}
// 0: the first rule matches; 1: the last; 2: none (the listener's default action).
BENCHMARK(BM_Route100Rules)->ArgName("first_last_miss")->Arg(0)->Arg(1)->Arg(2);

}  // namespace

BENCHMARK_MAIN();
