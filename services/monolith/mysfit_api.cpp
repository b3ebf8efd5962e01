#include "services/monolith/mysfit_api.hpp"

#include <functional>
#include <memory>
#include <string>
#include <utility>

#include "core/logging.hpp"
#include "services/monolith/list_query.hpp"
#include "store/mysfit_json.hpp"

namespace mysfits::monolith {
namespace {

using core::Responder;
using core::Response;

// The id is not echoed: it may be kilobytes of anything.
Response bad_id() {
  return Response::error(400, "bad_request",
                         "a mysfit id is 1 to 64 characters of A-Z, a-z, 0-9 and '-'");
}

// A failure of the store itself is the operator's business: the detail goes to the log with
// the request id, the client gets the status and a pointer to that id.
Response store_failure(const core::Error& error, std::string_view request_id) {
  int status = core::http_status_for(error.code);
  if (status < 500)
    return Response::from_error(error);
  core::log_error("store_failed", {{"request_id", request_id}, {"error", error.message}});
  return Response::error(status, core::error_code_name(error.code),
                         "the store failed; request id " + std::string(request_id));
}

// Turns a move-only Responder into a store callback (std::function needs a copyable target)
// that answers 200 with encode(value), or the error's status.
template <class T, class Encode>
store::Callback<T> reply(const core::Request& request, Responder responder, Encode encode) {
  auto shared = std::make_shared<Responder>(std::move(responder));
  return [shared, encode, request_id = std::string(request.request_id())](core::Result<T> r) {
    shared->send(r.ok() ? Response::json(200, encode(std::move(r.value())))
                        : store_failure(r.error(), request_id));
  };
}

// The validated id of a /mysfits/{id}... route, or empty after answering 400.
std::string_view valid_id(const core::Request& request, Responder& responder) {
  std::string_view id = request.param(0);
  if (store::is_valid_mysfit_id(id))
    return id;
  responder.send(bad_id());
  return {};
}

}  // namespace

MysfitApi::MysfitApi(store::Store& store, BusinessSteps steps)
    : store_(store), steps_(std::move(steps)) {}

void MysfitApi::add_routes(core::Router& router) {
  auto bind = [this](void (MysfitApi::*handler)(const core::Request&, Responder)) {
    return core::AsyncHandler([this, handler](const core::Request& r, Responder s) {
      (this->*handler)(r, std::move(s));
    });
  };
  router.get("/mysfits", bind(&MysfitApi::list));
  router.get("/mysfits/{id}", bind(&MysfitApi::get));
  router.post("/mysfits/{id}/like", bind(&MysfitApi::like));
  router.post("/mysfits/{id}/adopt", bind(&MysfitApi::adopt));
  router.post("/mysfits/{id}/fulfill-like", bind(&MysfitApi::fulfill_like));
  router.post("/mysfits/{id}/fulfill-adopt", bind(&MysfitApi::fulfill_adopt));
}

void MysfitApi::list(const core::Request& request, Responder responder) {
  auto filter = parse_list_query(request.query());
  if (!filter.ok()) {
    responder.send(Response::from_error(filter.error()));
    return;
  }
  store_.list_json(std::move(filter.value()),
                   reply<std::string>(request, std::move(responder), std::identity{}));
}

void MysfitApi::get(const core::Request& request, Responder responder) {
  std::string_view id = valid_id(request, responder);
  if (id.empty())
    return;
  store_.profile_json(std::string(id),
                      reply<std::string>(request, std::move(responder), std::identity{}));
}

void MysfitApi::like(const core::Request& request, Responder responder) {
  std::string_view id = valid_id(request, responder);
  if (id.empty())
    return;
  steps_.like({id, request.request_id()});
  persist_like(request, std::move(responder));
}

void MysfitApi::adopt(const core::Request& request, Responder responder) {
  std::string_view id = valid_id(request, responder);
  if (id.empty())
    return;
  steps_.adopt({id, request.request_id()});
  persist_adopt(request, std::move(responder));
}

// The split services' calls are logged at info: they are how an operator sees, in the
// monolith's log, that a route has moved (the request id joins it to the caller's line).
void MysfitApi::fulfill_like(const core::Request& request, Responder responder) {
  std::string_view id = valid_id(request, responder);
  if (id.empty())
    return;
  core::log_info("fulfill-like", {{"mysfit_id", id}, {"request_id", request.request_id()}});
  persist_like(request, std::move(responder));
}

void MysfitApi::fulfill_adopt(const core::Request& request, Responder responder) {
  std::string_view id = valid_id(request, responder);
  if (id.empty())
    return;
  core::log_info("fulfill-adopt", {{"mysfit_id", id}, {"request_id", request.request_id()}});
  persist_adopt(request, std::move(responder));
}

void MysfitApi::persist_like(const core::Request& request, Responder responder) {
  store_.like(std::string(request.param(0)),
              reply<std::int64_t>(request, std::move(responder), store::encode_like_result));
}

void MysfitApi::persist_adopt(const core::Request& request, Responder responder) {
  store_.adopt(std::string(request.param(0)),
               reply<core::Unit>(request, std::move(responder),
                                 [](core::Unit) { return store::encode_adopt_result(); }));
}

}  // namespace mysfits::monolith
