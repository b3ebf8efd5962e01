#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/http_message.hpp"

namespace mysfits::core {

// Completes an asynchronous handler. Exactly one send() per request; a Responder dropped
// without send() answers 500, so a forgotten path in a handler can never hang a client.
// send() may be called from any thread: the response is handed back to the connection's own.
class Responder {
 public:
  class Sink {
   public:
    virtual ~Sink() = default;
    virtual void complete(Response response) = 0;
  };

  explicit Responder(std::unique_ptr<Sink> sink) : sink_(std::move(sink)) {}
  Responder(Responder&&) noexcept = default;
  Responder& operator=(Responder&&) noexcept = default;
  Responder(const Responder&) = delete;
  Responder& operator=(const Responder&) = delete;
  ~Responder();

  void send(Response response);

 private:
  std::unique_ptr<Sink> sink_;
};

using SyncHandler = std::function<Response(const Request&)>;
using AsyncHandler = std::function<void(const Request&, Responder)>;

// Routes by method and path template ("/mysfits/{id}/like": "{...}" matches one non-empty
// segment). Pure: no I/O, so it is unit-tested and benchmarked directly.
class Router {
 public:
  struct Route {
    std::string method;
    std::string pattern;
    std::string label;  // "GET /mysfits/{id}": the metrics label
    SyncHandler sync;
    AsyncHandler async;
  };

  struct Match {
    enum class Kind { kFound, kNotFound, kMethodNotAllowed };
    Kind kind = Kind::kNotFound;
    const Route* route = nullptr;
    std::vector<std::string_view> params;
    std::string allow;  // for kMethodNotAllowed and OPTIONS: "GET, HEAD, OPTIONS"
  };

  Router& get(std::string pattern, SyncHandler handler);
  Router& get(std::string pattern, AsyncHandler handler);
  Router& post(std::string pattern, SyncHandler handler);
  Router& post(std::string pattern, AsyncHandler handler);
  Router& add(std::string method, std::string pattern, SyncHandler sync, AsyncHandler async);
  // Handles every request no route matches (the gateway's data plane); without it such
  // requests get 404 or 405.
  Router& fallback(AsyncHandler handler);

  // HEAD is answered by GET routes; OPTIONS finds the path and reports its Allow list.
  Match match(std::string_view method, std::string_view path) const;

  const std::vector<Route>& routes() const { return routes_; }
  const Route* fallback_route() const { return fallback_.get(); }

 private:
  struct PathEntry {
    std::vector<std::string> segments;  // "{}" for a "{param}" segment
    std::vector<std::size_t> route_indexes;
  };
  std::vector<Route> routes_;
  std::vector<PathEntry> paths_;
  std::unique_ptr<Route> fallback_;
};

}  // namespace mysfits::core
