#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "cli/canary_spec.hpp"
#include "cli/stage_plan.hpp"
#include "cli/static_site.hpp"
#include "core/http_server.hpp"
#include "core/router.hpp"

namespace mysfits::cli {

// What `up` serves besides the children: the website on the web port, and a loopback-only
// control endpoint that `mysfits migrate` finds through state.json: GET /state;
// POST /stage {"to": STAGE, "exec": {...}} and POST /restart, answered once the work is
// complete; POST /canary (a CanarySpec), answered 202 as soon as it starts, GET /canary (its
// report as it goes) and POST /canary/abort. Both run on their own thread; the state they show
// is handed over under a lock.
class UpServers {
 public:
  UpServers(const std::filesystem::path& web_root, const UpSettings& settings);
  ~UpServers() { stop(); }
  UpServers(const UpServers&) = delete;
  UpServers& operator=(const UpServers&) = delete;

  std::uint16_t control_port() const { return control_port_; }
  void publish_state(std::string state);
  void publish_canary(std::string report);
  // Called on the servers' thread with a valid stage; must answer through the responder.
  void on_migrate(std::function<void(Stage, ExecOverrides, core::Responder)> handler);
  // Called on the servers' thread with a valid spec; must answer through the responder.
  void on_canary(std::function<void(CanarySpec, core::Responder)> handler);
  void on_canary_abort(std::function<void(core::Responder)> handler);
  // POST /restart: a rolling restart of every service behind the gateway.
  void on_restart(std::function<void(core::Responder)> handler);
  void start();
  void stop();

 private:
  void handle_stage(const core::Request& request, core::Responder responder);
  void handle_canary(const core::Request& request, core::Responder responder);
  // The handler registered in slot, called under no lock; 503 when up is not ready for it yet.
  template <class Handler, class... Args>
  void call(const Handler& slot, core::Responder responder, Args&&... args);

  StaticSite site_;
  core::Router site_router_;
  core::Router control_router_;
  core::HttpServer server_;
  std::uint16_t control_port_ = 0;
  std::thread thread_;
  std::mutex mutex_;
  std::string state_ = "{}";
  std::string canary_;  // empty: no canary has run
  std::function<void(Stage, ExecOverrides, core::Responder)> on_migrate_;
  std::function<void(core::Responder)> on_restart_;
  std::function<void(CanarySpec, core::Responder)> on_canary_;
  std::function<void(core::Responder)> on_canary_abort_;
};

}  // namespace mysfits::cli
