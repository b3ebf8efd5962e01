// The probes and the ALB health check of the rendered manifests, asked of the real executables:
// each built service is started with its pod's environment from the like-adopt render (the
// stage with every service), and must answer the readiness, liveness and health-check paths
// on the Service's port, /metrics only on the admin port, and stop cleanly on SIGTERM.
#include <gtest/gtest.h>
#include <signal.h>

#include <map>
#include <memory>

#include "manifest_set.hpp"
#include "pod_spec.hpp"
#include "support/http_probe.hpp"
#include "support/process.hpp"

namespace mysfits::testing::deploy {
namespace {

// Deployment -> executable its image ships (deploy/docker/Dockerfile).
const std::vector<std::pair<std::string, std::string>> kServices = {
    {"mythical-mysfits-nolike", "mysfits-monolith"},
    {"mythical-mysfits-like", "mysfits-like"},
    {"mythical-mysfits-adopt", "mysfits-adopt"},
};

struct RunningService {
  std::unique_ptr<Process> process;
  std::uint16_t port = 0;
  std::uint16_t admin_port = 0;
};

class ProbeEndpoints : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto& rendered = rendered_overlay("deploy/k8s/stages/like-adopt");
    ASSERT_TRUE(rendered.manifests) << rendered.error;
    set_ = &*rendered.manifests;
  }

  // The pod's environment as Kubernetes would set it, with three local substitutions: free
  // loopback ports for PORT/ADMIN_PORT, SQLite instead of the cluster's DynamoDB table, and the
  // monolith's local address for its Service name.
  std::map<std::string, std::string> pod_environment(const std::string& deployment,
                                                     const RunningService& self,
                                                     std::uint16_t monolith_port) const {
    const auto pod = pod_spec(*set_, deployment);
    EXPECT_TRUE(pod.errors.empty()) << ::testing::PrintToString(pod.errors);
    auto env = pod.env;
    env["HOST"] = "127.0.0.1";
    env["PORT"] = std::to_string(self.port);
    env["ADMIN_PORT"] = std::to_string(self.admin_port);
    env.erase("DDB_TABLE_NAME");
    env["MYSFITS_DB"] = temp_dir() + "/probe-" + std::to_string(self.port) + ".db";
    if (env.contains("MONOLITH_URL"))
      env["MONOLITH_URL"] = "http://127.0.0.1:" + std::to_string(monolith_port);
    return env;
  }

  RunningService start(const std::string& deployment, const std::string& exe,
                       std::uint16_t monolith_port) {
    RunningService service;
    service.port = free_port();
    service.admin_port = free_port();
    service.process =
        std::make_unique<Process>(bin_path(exe), std::vector<std::string>{},
                                  pod_environment(deployment, service, monolith_port));
    return service;
  }

  std::string probe_path(const std::string& deployment, const char* probe) const {
    return str(set_->find(
        "Deployment",
        deployment)["spec"]["template"]["spec"]["containers"][0][probe]["httpGet"]["path"]);
  }

  std::string health_check_path() const {
    return str(set_->find("Ingress",
                          "mythical-mysfits-eks")["metadata"]["annotations"]
                                                 ["alb.ingress.kubernetes.io/healthcheck-path"]);
  }

  const ManifestSet* set_ = nullptr;
};

TEST_F(ProbeEndpoints, EveryBuiltServiceAnswersItsProbesAndStopsOnSigterm) {
  std::vector<std::pair<std::string, RunningService>> running;
  std::uint16_t monolith_port = 0;
  for (const auto& [deployment, exe] : kServices) {
    running.emplace_back(deployment, start(deployment, exe, monolith_port));
    auto& service = running.back().second;
    const auto readiness = probe_path(deployment, "readinessProbe");
    ASSERT_TRUE(
        wait_ready(service.port, readiness, std::chrono::seconds(20), service.process.get()))
        << deployment << " never answered 200 on " << readiness << "\n"
        << service.process->log();
    if (exe == "mysfits-monolith")
      monolith_port = service.port;

    for (const auto& path : {probe_path(deployment, "livenessProbe"), health_check_path()}) {
      EXPECT_EQ(http(service.port, "GET", path).status, 200) << deployment << " " << path;
    }
    // The ALB routes the Service port only; metrics stay on the admin port.
    EXPECT_EQ(http(service.admin_port, "GET", "/metrics").status, 200) << deployment;
    EXPECT_NE(http(service.port, "GET", "/metrics").status, 200) << deployment;
  }
  // Dependants first (started last), as removing a stage does.
  for (auto it = running.rbegin(); it != running.rend(); ++it) {
    const auto code = it->second.process->signal_and_wait(SIGTERM, std::chrono::seconds(25));
    EXPECT_EQ(code, std::optional<int>(0)) << it->first << " did not stop cleanly on SIGTERM\n"
                                           << it->second.process->log();
  }
}

}  // namespace
}  // namespace mysfits::testing::deploy
