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

template <class Handler, class... Args>
void UpServers::call(const Handler& slot, core::Responder responder, Args&&... args) {
  Handler handler;
  {
    std::lock_guard lock(mutex_);
    handler = slot;
  }
  if (!handler) {
    responder.send(core::Response::error(503, "unavailable", "mysfits up is not ready yet"));
    return;
  }
  handler(std::forward<Args>(args)..., std::move(responder));
}

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
    call(on_restart_, std::move(responder));
  });
  control_router_.post("/canary", [this](const core::Request& request, core::Responder responder) {
    handle_canary(request, std::move(responder));
  });
  control_router_.post("/canary/abort", [this](const core::Request&, core::Responder responder) {
    call(on_canary_abort_, std::move(responder));
  });
  control_router_.get("/canary", [this](const core::Request&) {
    std::lock_guard lock(mutex_);
    if (canary_.empty())
      return core::Response::error(404, "not_found", "no canary has run in this mysfits up");
    return core::Response::json(200, canary_);
  });
  // Bound now, served once the API is ready: a browser opened early waits instead of
  // showing an error.
  server_.listen(settings.host, settings.web_port, site_router_);
  control_port_ = server_.listen("127.0.0.1", 0, control_router_, /*public_traffic=*/false);
}

void UpServers::handle_stage(const core::Request& request, core::Responder responder) {
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
  auto exec = exec_from_json(body.as_object());
  if (!exec) {
    responder.send(core::Response::from_error(exec.error()));
    return;
  }
  call(on_migrate_, std::move(responder), *stage, std::move(*exec));
}

void UpServers::handle_canary(const core::Request& request, core::Responder responder) {
  auto spec = canary_spec_from_json(request.body());
  if (!spec) {
    responder.send(core::Response::from_error(spec.error()));
    return;
  }
  call(on_canary_, std::move(responder), std::move(*spec));
}

void UpServers::publish_canary(std::string report) {
  std::lock_guard lock(mutex_);
  canary_ = std::move(report);
}

void UpServers::on_canary(std::function<void(CanarySpec, core::Responder)> handler) {
  std::lock_guard lock(mutex_);
  on_canary_ = std::move(handler);
}

void UpServers::on_canary_abort(std::function<void(core::Responder)> handler) {
  std::lock_guard lock(mutex_);
  on_canary_abort_ = std::move(handler);
}

void UpServers::publish_state(std::string state) {
  std::lock_guard lock(mutex_);
  state_ = std::move(state);
}

void UpServers::on_migrate(std::function<void(Stage, ExecOverrides, core::Responder)> handler) {
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
