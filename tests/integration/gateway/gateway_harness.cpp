#include "gateway_harness.hpp"

#include <gtest/gtest.h>

#include <csignal>
#include <fstream>
#include <thread>

namespace mysfits::testing::gateway {

bool eventually(const std::function<bool()>& fn, std::chrono::milliseconds deadline) {
  const auto until = std::chrono::steady_clock::now() + deadline;
  while (std::chrono::steady_clock::now() < until) {
    if (fn())
      return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return fn();
}

std::unique_ptr<Process> start_fake(std::uint16_t port, const std::string& name,
                                    int health_status) {
  auto process = std::make_unique<Process>(
      MYSFITS_FAKE_UPSTREAM,
      std::vector<std::string>{"--port", std::to_string(port), "--name", name, "--health-status",
                               std::to_string(health_status)});
  EXPECT_TRUE(wait_ready(port, "/ready", std::chrono::seconds(10), process.get()))
      << process->log();
  return process;
}

std::string app_ingress(const std::string& extra_annotations) {
  return R"(apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: test
  annotations:
    kubernetes.io/ingress.class: alb
    alb.ingress.kubernetes.io/healthcheck-path: /health
    alb.ingress.kubernetes.io/healthcheck-interval-seconds: "5"
    alb.ingress.kubernetes.io/healthcheck-timeout-seconds: "2"
)" + extra_annotations +
         R"(spec:
  rules:
    - http:
        paths:
          - path: /*
            pathType: ImplementationSpecific
            backend:
              service:
                name: app
                port:
                  number: 80
)";
}

std::string write_file(const std::string& name, const std::string& text) {
  const std::string path = temp_dir() + "/" + name;
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
  return path;
}

boost::json::object Gateway::status() const {
  auto r = http(admin_port, "GET", "/status.json");
  if (!r.ok || r.status != 200)
    return {};
  boost::system::error_code ec;
  auto value = boost::json::parse(r.body, ec);
  return ec || !value.is_object() ? boost::json::object{} : value.as_object();
}

std::string Gateway::target_state(const std::string& upstream, const std::string& address) const {
  auto s = status();
  if (!s.contains("target_groups"))
    return "";
  for (const auto& g : s.at("target_groups").as_array()) {
    if (g.at("upstream").as_string() != upstream)
      continue;
    for (const auto& t : g.at("targets").as_array()) {
      if (t.at("address").as_string() == address)
        return std::string(t.at("state").as_string());
    }
  }
  return "";
}

bool Gateway::reload() {
  return ::kill(process->pid(), SIGHUP) == 0;
}

Gateway start_gateway(std::vector<std::string> args, int threads) {
  Gateway g;
  g.port = free_port();
  g.admin_port = free_port();
  args.insert(args.end(), {"--health-check-speedup", "10"});
  g.process = std::make_unique<Process>(
      bin_path("mysfits-gateway"), args,
      std::map<std::string, std::string>{{"HOST", "127.0.0.1"},
                                         {"PORT", std::to_string(g.port)},
                                         {"ADMIN_PORT", std::to_string(g.admin_port)},
                                         {"THREADS", std::to_string(threads)}});
  EXPECT_TRUE(wait_ready(g.admin_port, "/readyz", std::chrono::seconds(15), g.process.get()))
      << g.process->log();
  return g;
}

boost::json::object echo(const HttpResult& result) {
  if (!result.ok || result.status != 200)
    return {};
  boost::system::error_code ec;
  auto value = boost::json::parse(result.body, ec);
  return ec || !value.is_object() ? boost::json::object{} : value.as_object();
}

}  // namespace mysfits::testing::gateway
