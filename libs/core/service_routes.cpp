#include "core/service_routes.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

namespace mysfits::core {

void add_probe_routes(Router& router, const HttpServer& server) {
  router.get("/healthz", [](const Request&) { return Response::json(200, R"({"status":"ok"})"); });
  router.get("/readyz", [&server](const Request&) {
    if (server.ready())
      return Response::json(200, R"({"status":"ready"})");
    return Response::error(503, "not_ready",
                           server.draining() ? "shutting down" : "a dependency is not ready");
  });
}

void add_root_route(Router& router, std::string message) {
  boost::json::object o;
  o["message"] = message;
  std::string body = boost::json::serialize(o);
  router.get("/", [body](const Request&) { return Response::json(200, body); });
}

void add_metrics_route(Router& router, const Metrics& metrics) {
  router.get("/metrics", [&metrics](const Request&) {
    Response r;
    r.status = 200;
    r.content_type = "text/plain; version=0.0.4";
    r.body = metrics.render();
    return r;
  });
}

}  // namespace mysfits::core
