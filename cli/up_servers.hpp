#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "cli/stage_plan.hpp"
#include "cli/static_site.hpp"
#include "core/http_server.hpp"
#include "core/router.hpp"

namespace mysfits::cli {

// What `up` serves besides the children: the website on the web port, and a loopback-only
// control endpoint that `mysfits migrate` finds through state.json: GET /state, and
// POST /stage {"to": STAGE} and POST /restart, answered once the work is complete. Both run on
// their own thread; the state they show is handed over under a lock.
class UpServers {
 public:
  UpServers(const std::filesystem::path& web_root, const UpSettings& settings);
  ~UpServers() { stop(); }
  UpServers(const UpServers&) = delete;
  UpServers& operator=(const UpServers&) = delete;

  std::uint16_t control_port() const { return control_port_; }
  void publish_state(std::string state);
  // Called on the servers' thread with a valid stage; must answer through the responder.
  void on_migrate(std::function<void(Stage, core::Responder)> handler);
  // POST /restart: a rolling restart of every service behind the gateway.
  void on_restart(std::function<void(core::Responder)> handler);
  void start();
  void stop();

 private:
  void handle_stage(const core::Request& request, core::Responder responder);

  StaticSite site_;
  core::Router site_router_;
  core::Router control_router_;
  core::HttpServer server_;
  std::uint16_t control_port_ = 0;
  std::thread thread_;
  std::mutex mutex_;
  std::string state_ = "{}";
  std::function<void(Stage, core::Responder)> on_migrate_;
  std::function<void(core::Responder)> on_restart_;
};

}  // namespace mysfits::cli
