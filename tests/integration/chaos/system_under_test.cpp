#include "integration/chaos/system_under_test.hpp"

#include <stdexcept>

#include "support/http_probe.hpp"

namespace mysfits::testing {

bool SystemUnderTest::alive() {
  for (auto& p : processes_)
    if (!p.running())
      return false;
  return true;
}

Process& SystemUnderTest::process(const std::string& role) {
  for (std::size_t i = 0; i < roles_.size(); ++i)
    if (roles_[i] == role)
      return processes_[i];
  throw std::out_of_range("no " + role + " in this system");
}

std::vector<const char*> public_edges() {
  return {"monolith", "like", "adopt", "gateway"};
}

std::unique_ptr<SystemUnderTest> start_system(const std::string& edge) {
  auto system = std::make_unique<SystemUnderTest>();
  auto& procs = system->processes_;
  auto start = [&](const std::string& exe, std::vector<std::string> args,
                   std::map<std::string, std::string> env) -> std::uint16_t {
    std::uint16_t port = free_port();
    env["HOST"] = "127.0.0.1";
    env["PORT"] = std::to_string(port);
    env["LOG_LEVEL"] = "warn";
    procs.emplace_back(bin_path(exe), std::move(args), std::move(env));
    system->roles_.push_back(exe.substr(std::string("mysfits-").size()));
    return wait_ready(port, "/readyz", std::chrono::seconds(20), &procs.back()) ? port : 0;
  };
  system->monolith_port_ =
      start("mysfits-monolith", {}, {{"MYSFITS_DB", temp_dir() + "/edge-" + edge + ".db"}});
  if (system->monolith_port_ == 0)
    return nullptr;
  const std::string monolith_url = "127.0.0.1:" + std::to_string(system->monolith_port_);
  if (edge == "monolith") {
    system->edge_port_ = system->monolith_port_;
  } else if (edge == "like" || edge == "adopt") {
    system->edge_port_ = start("mysfits-" + edge, {}, {{"MONOLITH_URL", monolith_url}});
  } else if (edge == "gateway") {
    std::uint16_t like = start("mysfits-like", {}, {{"MONOLITH_URL", monolith_url}});
    std::uint16_t adopt = start("mysfits-adopt", {}, {{"MONOLITH_URL", monolith_url}});
    if (like == 0 || adopt == 0)
      return nullptr;
    auto local = [](std::uint16_t p) { return "127.0.0.1:" + std::to_string(p); };
    system->edge_port_ =
        start("mysfits-gateway",
              {"--ingress", source_path("deploy/k8s/stages/like-adopt/ingress.yaml"), "--upstream",
               "mythical-mysfits-nolike:80=" + local(system->monolith_port_), "--upstream",
               "mythical-mysfits-like:80=" + local(like), "--upstream",
               "mythical-mysfits-adopt:80=" + local(adopt)},
              {});
  }
  if (system->edge_port_ == 0)
    return nullptr;
  return system;
}

}  // namespace mysfits::testing
