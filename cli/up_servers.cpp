#include "cli/up_servers.hpp"

#include <boost/json.hpp>

namespace mysfits::cli {
namespace {

core::ServerOptions server_options() {
  core::ServerOptions o;
  o.service_name = "mysfits-up";
  o.threads = 1;
  o.drain_timeout = std::chrono::milliseconds(2'000);
  return o;
}

}  // namespace

UpServers::UpServers(const std::filesystem::path& web_root, const UpSettings& settings)
    : site_(web_root, settings.port), server_(server_options()) {
  site_.add_routes(site_router_);
  control_router_.get("/state", [this](const core::Request&) {
    std::lock_guard lock(mutex_);
    return core::Response::json(200, state_);
  });
  control_router_.post("/stage", [this](const core::Request& request, core::Responder responder) {
    handle_stage(request, std::move(responder));
  });
  control_router_.post("/restart", [this](const core::Request&, core::Responder responder) {
    std::function<void(core::Responder)> handler;
    {
      std::lock_guard lock(mutex_);
      handler = on_restart_;
    }
    if (!handler) {
      responder.send(core::Response::error(503, "unavailable", "mysfits up is not ready yet"));
      return;
    }
    handler(std::move(responder));
  });
  // Bound now, served once the API is ready: a browser opened early waits instead of
  // showing an error.
  server_.listen(settings.host, settings.web_port, site_router_);
  control_port_ = server_.listen("127.0.0.1", 0, control_router_, /*public_traffic=*/false);
}

void UpServers::handle_stage(const core::Request& request, core::Responder responder) {
  std::function<void(Stage, core::Responder)> handler;
  {
    std::lock_guard lock(mutex_);
    handler = on_migrate_;
  }
  boost::system::error_code ec;
  auto body = boost::json::parse(request.body(), ec);
  const boost::json::value* to =
      !ec && body.is_object() ? body.as_object().if_contains("to") : nullptr;
  auto stage =
      to && to->is_string() ? parse_stage(std::string(to->as_string())) : std::optional<Stage>{};
  if (!stage) {
    responder.send(core::Response::error(
        400, "bad_request", "the body must be {\"to\": \"monolith|like|like-adopt\"}"));
    return;
  }
  if (!handler) {
    responder.send(core::Response::error(503, "unavailable", "mysfits up is not ready yet"));
    return;
  }
  handler(*stage, std::move(responder));
}

void UpServers::publish_state(std::string state) {
  std::lock_guard lock(mutex_);
  state_ = std::move(state);
}

void UpServers::on_migrate(std::function<void(Stage, core::Responder)> handler) {
  std::lock_guard lock(mutex_);
  on_migrate_ = std::move(handler);
}

void UpServers::on_restart(std::function<void(core::Responder)> handler) {
  std::lock_guard lock(mutex_);
  on_restart_ = std::move(handler);
}

void UpServers::start() {
  server_.set_ready(true);
  thread_ = std::thread([this] { server_.run(); });
}

void UpServers::stop() {
  if (thread_.joinable()) {
    server_.shutdown();
    thread_.join();
  }
}

}  // namespace mysfits::cli
