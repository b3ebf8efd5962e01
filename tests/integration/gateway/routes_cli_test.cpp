#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "support/process.hpp"

// `mysfits routes FILE... [--method M] PATH...` run as a user runs it: the real binary, real
// manifest files, its output compared line by line.
namespace {

using mysfits::testing::bin_path;
using mysfits::testing::Process;
using mysfits::testing::source_path;
using mysfits::testing::temp_dir;

struct CliRun {
  int exit_code = -1;
  std::vector<std::string> lines;  // stdout and stderr, in order
};

CliRun routes(std::vector<std::string> args) {
  args.insert(args.begin(), "routes");
  Process p(bin_path("mysfits"), std::move(args));
  CliRun run;
  const auto code = p.wait(std::chrono::seconds(30));
  EXPECT_TRUE(code.has_value()) << "mysfits routes did not finish";
  run.exit_code = code.value_or(-1);
  std::istringstream log(p.log());
  for (std::string line; std::getline(log, line);)
    run.lines.push_back(line);
  return run;
}

std::string write_file(const std::string& name, const std::string& text) {
  const std::string path = temp_dir() + "/" + name;
  std::ofstream(path) << text;
  return path;
}

std::string stage(const std::string& name) {
  return source_path("deploy/k8s/stages/" + name + "/ingress.yaml");
}

std::string ingress(const std::string& name, const std::string& annotations,
                    const std::string& spec) {
  return "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: " + name +
         "\n  annotations:\n    kubernetes.io/ingress.class: alb\n" + annotations + "spec:\n" +
         spec;
}

std::string paths(const std::string& entries) {
  return "  rules:\n  - http:\n      paths:\n" + entries;
}

std::string path(const std::string& p, const std::string& type, const std::string& service) {
  return "      - path: " + p + "\n        pathType: " + type +
         "\n        backend:\n          service:\n            name: " + service +
         "\n            port:\n              number: 80\n";
}

TEST(RoutesCli, PrintsOneJsonLinePerPathForTheStageManifest) {
  const CliRun run = routes({stage("like-adopt"), "--method", "POST", "/mysfits/abc/like",
                             "/mysfits/abc/adopt", "/mysfits/abc/fulfill-like", "/mysfits?x=1"});
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_EQ(run.lines,
            (std::vector<std::string>{
                R"({"path": "/mysfits/abc/like", "backend": "mythical-mysfits-like:80"})",
                R"({"path": "/mysfits/abc/adopt", "backend": "mythical-mysfits-adopt:80"})",
                R"({"path": "/mysfits/abc/fulfill-like", "backend": "fixed-response:404"})",
                R"({"path": "/mysfits?x=1", "backend": "mythical-mysfits-nolike:80"})"}));
}

TEST(RoutesCli, NoMatchingRuleIsNullAndMethodConditionsAreCaseSensitive) {
  const std::string file =
      write_file("routes-null.yaml",
                 ingress("api",
                         "    alb.ingress.kubernetes.io/conditions.api: >\n"
                         "      [{\"field\":\"http-request-method\",\"httpRequestMethodConfig\":"
                         "{\"values\":[\"POST\"]}}]\n",
                         paths(path("/api", "Prefix", "api"))));
  const CliRun post = routes({file, "--method", "POST", "/api/x", "/other"});
  EXPECT_EQ(post.exit_code, 0);
  EXPECT_EQ(post.lines, (std::vector<std::string>{R"({"path": "/api/x", "backend": "api:80"})",
                                                  R"({"path": "/other", "backend": null})"}));
  const CliRun lower = routes({file, "--method", "post", "/api/x"});
  EXPECT_EQ(lower.lines, (std::vector<std::string>{R"({"path": "/api/x", "backend": null})"}));
}

// The controller's most asked question (#2763): in a group, member order decides, and a
// catch-all in an earlier Ingress hides a longer path in a later one, across files too.
TEST(RoutesCli, AnswersRuleOrderAcrossGroupMembersInSeveralFiles) {
  const std::string group = "    alb.ingress.kubernetes.io/group.name: shop\n";
  const std::string a =
      write_file("routes-a.yaml",
                 ingress("ingress-1", group, paths(path("/*", "ImplementationSpecific", "all"))));
  const std::string b = write_file(
      "routes-b.yaml", ingress("ingress-2", group, paths(path("/abc/", "Exact", "abc"))));
  EXPECT_EQ(routes({b, a, "/abc/"}).lines,
            (std::vector<std::string>{R"({"path": "/abc/", "backend": "all:80"})"}));
  const std::string first = group + "    alb.ingress.kubernetes.io/group.order: '-1'\n";
  const std::string c = write_file(
      "routes-c.yaml", ingress("ingress-2", first, paths(path("/abc/", "Exact", "abc"))));
  EXPECT_EQ(routes({a, c, "/abc/", "/abc"}).lines,
            (std::vector<std::string>{R"({"path": "/abc/", "backend": "abc:80"})",
                                      R"({"path": "/abc", "backend": "all:80"})"}));
}

TEST(RoutesCli, CheckAcceptsEveryStageManifest) {
  for (const char* name : {"monolith", "like", "like-adopt"}) {
    const CliRun run = routes({"--check", stage(name)});
    EXPECT_EQ(run.exit_code, 0) << name;
    ASSERT_EQ(run.lines.size(), 1u) << name;
    EXPECT_NE(run.lines[0].find("within the ALB's limits"), std::string::npos) << run.lines[0];
  }
}

// For CI pipelines: what the controller or the ALB would refuse at apply time fails here, every
// limit broken (in any of the files' load balancers) on a line of its own with the file, the
// line (the 101st path entry starts on line 11 + 100 * 7), the Ingress and the limit.
TEST(RoutesCli, CheckExitsOneWithEveryLimitTheFilesBreak) {
  std::string many;
  for (int i = 0; i < 101; ++i)
    many += path("/r" + std::to_string(100 + i), "ImplementationSpecific", "svc");
  const std::string rules = write_file("check-rules.yaml", ingress("many", "", paths(many)));
  const std::string exact_file = write_file(
      "check-exact.yaml", ingress("wild", "", paths(path("/*/*/*/*/*/*", "Exact", "svc"))));
  const CliRun exact = routes({"--check", exact_file});
  EXPECT_EQ(exact.exit_code, 1);
  ASSERT_EQ(exact.lines.size(), 1u);
  EXPECT_NE(exact.lines[0].find("Exact path must not contain wildcards"), std::string::npos);

  const std::string wildcards =
      write_file("check-wildcards.yaml",
                 ingress("wild", "", paths(path("/*/*/*/*/*/*", "ImplementationSpecific", "svc"))));
  const CliRun run = routes({"--check", rules, wildcards});
  EXPECT_EQ(run.exit_code, 1);
  ASSERT_EQ(run.lines.size(), 2u) << "one line per limit broken";
  EXPECT_NE(run.lines[0].find(rules + ":711: Ingress default/many"), std::string::npos)
      << run.lines[0];
  EXPECT_NE(run.lines[0].find("at most 100 per load balancer"), std::string::npos) << run.lines[0];
  EXPECT_NE(run.lines[1].find(wildcards + ":11: Ingress default/wild"), std::string::npos)
      << run.lines[1];
  EXPECT_NE(run.lines[1].find("at most 5 per rule"), std::string::npos) << run.lines[1];
}

TEST(RoutesCli, BrokenManifestExitsTwoWithWhatAndWhere) {
  const std::string file =
      write_file("routes-broken.yaml", ingress("web", "", paths(path("/api*", "Prefix", "api"))));
  const CliRun run = routes({file, "/api"});
  EXPECT_EQ(run.exit_code, 2);
  ASSERT_EQ(run.lines.size(), 1u);
  EXPECT_NE(run.lines[0].find(file + ":11"), std::string::npos) << run.lines[0];
  EXPECT_NE(run.lines[0].find("Prefix path must not contain wildcards"), std::string::npos)
      << run.lines[0];
}

TEST(RoutesCli, MissingPathsOrFilesExitTwo) {
  EXPECT_EQ(routes({stage("monolith")}).exit_code, 2);
  EXPECT_EQ(routes({"/nonexistent.yaml", "/x"}).exit_code, 2);
  EXPECT_EQ(routes({stage("monolith"), "relative"}).exit_code, 2);
}

}  // namespace
