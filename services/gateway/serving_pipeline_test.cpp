// The gateway and `mysfits routes` read manifests through one pipeline (ingress::load_serving):
// for every manifest fixture in the tree, the gateway's snapshot refuses with the same message
// or routes every probe request to the same rule and action as the pipeline `routes` prints.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <filesystem>
#include <set>

#include "ingress/rule_json.hpp"
#include "ingress/serving.hpp"
#include "services/gateway/gateway_state.hpp"
#include "support/build_tree.hpp"

namespace mysfits::gateway {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> manifest_fixtures() {
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(testing::source_path("tests/data/ingress"))) {
    if (entry.path().extension() == ".yaml")
      files.push_back(entry.path().string());
  }
  for (const auto& stage : fs::directory_iterator(testing::source_path("deploy/k8s/stages")))
    files.push_back((stage.path() / "ingress.yaml").string());
  std::sort(files.begin(), files.end());
  return files;
}

// A request a glob matches: '*' as one segment of text, '?' as one character.
std::string concrete(const std::string& glob) {
  std::string out;
  for (char c : glob)
    out += c == '*' ? std::string("x") : c == '?' ? std::string("y") : std::string(1, c);
  return out;
}

// Requests that reach every rule of the listener, and some that reach none.
std::vector<std::pair<std::string, std::string>> probes(const ingress::Listener& listener) {
  std::set<std::pair<std::string, std::string>> out{{"/", ""}, {"/nothing/here", ""}};
  for (const ingress::Rule& rule : listener.rules) {
    std::vector<std::string> paths{"/"};
    std::vector<std::string> hosts{""};
    for (const ingress::Condition& c : rule.conditions) {
      if (c.field == ingress::ConditionField::kPathPattern)
        std::transform(c.values.begin(), c.values.end(), std::back_inserter(paths), concrete);
      if (c.field == ingress::ConditionField::kHostHeader)
        std::transform(c.values.begin(), c.values.end(), std::back_inserter(hosts), concrete);
    }
    for (const auto& p : paths) {
      for (const auto& h : hosts)
        out.insert({p, h});
    }
  }
  return {out.begin(), out.end()};
}

std::string answer(const ingress::RouteTable& table, const std::string& method,
                   const std::string& target, const std::string& host) {
  ingress::RequestView view;
  view.method = method;
  view.target = target;
  view.host = host;
  view.source_ip = "127.0.0.1";
  const auto match = table.match(view);
  return std::to_string(match.priority()) + " " + ingress::describe_action(*match.action);
}

TEST(ServingPipeline, TheGatewayAndRoutesAnswerAlikeForEveryManifestFixture) {
  const auto files = manifest_fixtures();
  ASSERT_GE(files.size(), 8u) << "fixtures missing from the tree";
  int refused = 0;
  for (const std::string& file : files) {
    SCOPED_TRACE(file);
    const auto serving = ingress::load_serving({file});
    Sources sources;
    sources.ingress_files = {file};
    std::vector<DrainingTarget> removed;
    const auto snapshot = build_snapshot(sources, nullptr, removed);
    ASSERT_EQ(snapshot.ok(), serving.ok());
    if (!serving.ok()) {
      EXPECT_EQ(snapshot.error().message, serving.error().message);
      ++refused;
      continue;
    }
    EXPECT_EQ((*snapshot)->notes, serving->notes);
    EXPECT_EQ(boost::json::serialize(ingress::to_json((*snapshot)->load_balancer)),
              boost::json::serialize(ingress::to_json(serving->load_balancer)));
    for (const auto& [target, host] : probes(serving->routes.listener())) {
      for (const char* method : {"GET", "POST"}) {
        EXPECT_EQ(answer((*snapshot)->routes, method, target, host),
                  answer(serving->routes, method, target, host))
            << method << " " << target << " Host: " << host;
      }
    }
  }
  EXPECT_GE(refused, 2) << "the refused fixtures must be refused by both";
}

}  // namespace
}  // namespace mysfits::gateway
