#include "core/http_session.hpp"

#include <array>
#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <optional>
#include <random>

#include "core/logging.hpp"
#include "core/request_reader.hpp"
#include "core/response_head.hpp"

namespace mysfits::core {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using BeastRequest = http::request<http::string_body>;

namespace detail {
struct RawRequest {
  const BeastRequest* message;
  std::uint16_t local_port;
  std::uint16_t remote_port;
};
}  // namespace detail

std::string_view Request::header(std::string_view name) const {
  const auto& fields = raw_->message->base();
  auto it = fields.find(name);
  return it == fields.end() ? std::string_view{} : std::string_view(it->value());
}

void Request::for_each_header(
    const std::function<void(std::string_view, std::string_view)>& fn) const {
  for (const auto& f : raw_->message->base())
    fn(f.name_string(), f.value());
}

unsigned Request::version() const {
  return raw_->message->version();
}
std::uint16_t Request::local_port() const {
  return raw_->local_port;
}
std::uint16_t Request::remote_port() const {
  return raw_->remote_port;
}

namespace detail {
namespace {

// Where an async handler's response meets the waiting connection, without a lock. A handler
// that answers before it returns (an embedded store) leaves the response here and the
// connection carries on without suspending; a later answer, from any thread, resumes the
// connection through post(). Each side writes its own field, then tries to move `state` from
// kEmpty: the one that finds the other side there already hands the response over.
struct AsyncReply {
  class Waiter {
   public:
    virtual ~Waiter() = default;
    virtual void resume(Response response) = 0;
  };
  enum State : int { kEmpty, kAnswered, kWaiting };

  std::atomic<int> state{kEmpty};
  std::optional<Response> response;  // the handler's answer, published by kAnswered
  std::unique_ptr<Waiter> waiter;    // the waiting connection, published by kWaiting
};

template <class Completion>
class PostingWaiter final : public AsyncReply::Waiter {
 public:
  PostingWaiter(Completion completion, asio::any_io_executor executor)
      : completion_(std::move(completion)), executor_(std::move(executor)) {}
  void resume(Response response) override {
    asio::post(executor_, [c = std::move(completion_), r = std::move(response)]() mutable {
      std::move(c)(std::move(r));
    });
  }

 private:
  Completion completion_;
  asio::any_io_executor executor_;
};

class ReplySink final : public Responder::Sink {
 public:
  explicit ReplySink(std::shared_ptr<AsyncReply> reply) : reply_(std::move(reply)) {}
  void complete(Response response) override {
    reply_->response = std::move(response);
    int seen = AsyncReply::kEmpty;
    if (reply_->state.compare_exchange_strong(seen, AsyncReply::kAnswered,
                                              std::memory_order_acq_rel))
      return;                                              // the connection takes it when it looks
    reply_->waiter->resume(std::move(*reply_->response));  // seen == kWaiting
  }

 private:
  std::shared_ptr<AsyncReply> reply_;
};

std::optional<Response> take_response(AsyncReply& reply) {
  if (reply.state.load(std::memory_order_acquire) != AsyncReply::kAnswered)
    return std::nullopt;
  return std::exchange(reply.response, std::nullopt);
}

bool valid_request_id(std::string_view id) {
  if (id.empty() || id.size() > 128)
    return false;
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.' || c == ':' || c == '=' || c == ';';
    if (!ok)
      return false;
  }
  return true;
}

void make_request_id(std::string& id) {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  static constexpr char kHex[] = "0123456789abcdef";
  id.assign(32, '0');
  for (int half = 0; half < 2; ++half) {
    auto v = rng();
    for (int i = 0; i < 16; ++i)
      id[half * 16 + i] = kHex[(v >> (i * 4)) & 0xf];
  }
}

Response preflight(const BeastRequest& msg, const std::string& allow) {
  Response r;
  r.status = 204;
  r.content_type.clear();
  r.headers.emplace_back("Access-Control-Allow-Methods", allow);
  auto requested = msg[http::field::access_control_request_headers];
  r.headers.emplace_back(
      "Access-Control-Allow-Headers",
      requested.empty() ? std::string("Content-Type, X-Request-Id") : std::string(requested));
  r.headers.emplace_back("Access-Control-Max-Age", "600");
  return r;
}

asio::awaitable<Response> call_async(const AsyncHandler& handler, const Request& request) {
  auto reply = std::make_shared<AsyncReply>();
  try {
    handler(request, Responder(std::make_unique<ReplySink>(reply)));
  } catch (const std::exception& e) {
    log_error("handler_failed", {{"error", e.what()}, {"request_id", request.request_id()}});
  }
  if (auto answered = take_response(*reply))
    co_return std::move(*answered);
  auto executor = co_await asio::this_coro::executor;
  co_return co_await asio::async_initiate<decltype(asio::use_awaitable), void(Response)>(
      [&reply, &executor](auto completion) {
        using Waiter = PostingWaiter<decltype(completion)>;
        reply->waiter = std::make_unique<Waiter>(std::move(completion), executor);
        int seen = AsyncReply::kEmpty;
        if (reply->state.compare_exchange_strong(seen, AsyncReply::kWaiting,
                                                 std::memory_order_acq_rel))
          return;  // the handler resumes us when it answers
        // Answered from another thread between the check above and now (seen == kAnswered).
        reply->waiter->resume(std::move(*reply->response));
      },
      asio::use_awaitable);
}

asio::awaitable<Response> dispatch(const SessionContext& ctx, Request& request,
                                   const BeastRequest& msg, Metrics::RequestSeries*& series) {
  auto match = ctx.router->match(request.method(), request.path());
  series = ctx.unmatched;
  if (match.kind == Router::Match::Kind::kFound && request.method() == "OPTIONS" &&
      ctx.options->cors && match.route->method != "OPTIONS") {
    co_return preflight(msg, match.allow);
  }
  if (match.kind != Router::Match::Kind::kFound) {
    if (match.kind == Router::Match::Kind::kMethodNotAllowed) {
      if (request.method() == "OPTIONS" && ctx.options->cors)
        co_return preflight(msg, match.allow);
      auto r = Response::error(405, "method_not_allowed",
                               "method " + std::string(request.method()) + " is not allowed here");
      r.headers.emplace_back("Allow", match.allow);
      co_return r;
    }
    co_return Response::error(404, "not_found", "no route for " + std::string(request.path()));
  }
  if (auto it = ctx.series.find(match.route); it != ctx.series.end())
    series = it->second;
  request.set_params(std::move(match.params));
  if (match.route->sync) {
    try {
      co_return match.route->sync(request);
    } catch (const std::exception& e) {
      log_error("handler_failed", {{"error", e.what()}, {"request_id", request.request_id()}});
      co_return Response::error(500, "internal", "internal error");
    }
  }
  co_return co_await call_async(match.route->async, request);
}

// The head goes into the session's reused buffer; the session sends it with the body in one
// gather write (one sendmsg).
std::array<asio::const_buffer, 2> response_buffers(std::string& head_buffer,
                                                   const Response& response,
                                                   const HeadOptions& head) {
  write_response_head(head_buffer, response, head);
  std::array<asio::const_buffer, 2> buffers{asio::buffer(head_buffer), asio::const_buffer()};
  if (sends_body(response, head))
    buffers[1] = asio::buffer(response.body);
  return buffers;
}

}  // namespace

void Worker::begin_drain() {
  draining = true;
  for (auto* s : sessions) {
    if (s->idle) {
      boost::system::error_code ignored;
      s->socket->cancel(ignored);
    }
  }
}

asio::awaitable<void> run_deadline_sweeper(Worker& worker, std::chrono::milliseconds interval) {
  asio::steady_timer timer(worker.io);
  for (;;) {
    timer.expires_after(interval);
    auto [ec] = co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
    if (ec)
      co_return;
    const auto now = Clock::now();
    for (auto* s : worker.sessions) {
      if (s->deadline <= now) {
        // As a timed-out Beast stream does: the pending operation fails, the session ends.
        s->deadline = Clock::time_point::max();
        boost::system::error_code ignored;
        s->socket->close(ignored);
      }
    }
  }
}

namespace {

asio::awaitable<void> write_early_error(Connection& c, int status) {
  if (!c.stream.is_open())  // closed by a timeout: nobody to tell
    co_return;
  auto error = Response::error(status, "bad_request",
                               status == 431   ? "request headers too large"
                               : status == 413 ? "request body too large"
                               : status == 414 ? "request line too long"
                                               : "malformed request");
  HeadOptions head;
  head.keep_alive = false;
  head.cors_origin = c.cors_origin;
  c.arm(c.limits().write_timeout);
  co_await asio::async_write(c.stream, response_buffers(c.head_buffer, error, head),
                             asio::as_tuple(asio::use_awaitable));
  if (c.context.unmatched != nullptr)
    c.context.unmatched->observe(status, 0);
}

// Runs the request through the router and writes the response. False: close the connection.
asio::awaitable<bool> dispatch_and_respond(Connection& c, const BeastRequest& msg) {
  const SessionContext& ctx = c.context;
  c.disarm();
  const auto started = Clock::now();
  c.request_id.clear();
  if (ctx.options->request_ids) {
    auto given = msg["X-Request-Id"];
    if (valid_request_id(given))
      c.request_id.assign(given);
    else
      make_request_id(c.request_id);
  }
  detail::RawRequest raw{&msg, ctx.local_port, c.remote_port};
  Request request(&raw, msg.method_string(), msg.target(), msg.body(), c.remote_address,
                  c.request_id);
  Metrics::RequestSeries* series = nullptr;
  Response response = co_await dispatch(ctx, request, msg, series);
  const int status = response.status;
  HeadOptions head;
  head.version = msg.version() == 10 ? 10 : 11;
  head.head_request = msg.method() == http::verb::head;
  head.keep_alive = msg.keep_alive() && !c.worker.draining;
  head.cors_origin = c.cors_origin;
  head.request_id = c.request_id;

  // Recorded before the write, so a client that has its answer also sees it counted.
  const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
  if (series != nullptr)
    series->observe(status, seconds);
  c.arm(c.limits().write_timeout);
  auto [write_ec, written] =
      co_await asio::async_write(c.stream, response_buffers(c.head_buffer, response, head),
                                 asio::as_tuple(asio::use_awaitable));
  if (log_enabled(LogLevel::kDebug)) {
    log_debug("request", {{"method", std::string_view(msg.method_string())},
                          {"path", request.path()},
                          {"status", status},
                          {"micros", static_cast<long long>(seconds * 1e6)},
                          {"request_id", c.request_id}});
  }
  co_return !write_ec && head.keep_alive;
}

}  // namespace

asio::awaitable<void> run_session(Worker& worker, tcp::socket socket,
                                  std::shared_ptr<const SessionContext> context) {
  boost::system::error_code ec;
  socket.set_option(tcp::no_delay(true), ec);
  const auto remote = socket.remote_endpoint(ec);
  SessionHandle handle{&socket, true, Clock::time_point::max()};
  worker.sessions.push_front(&handle);
  struct Unregister {
    Worker& w;
    std::list<SessionHandle*>::iterator it;
    std::atomic<std::size_t>* open;
    ~Unregister() {
      w.sessions.erase(it);
      open->fetch_sub(1, std::memory_order_relaxed);
    }
  } unregister{worker, worker.sessions.begin(), context->open_sessions};

  Connection c(worker, *context, socket, handle);
  c.remote_address = ec ? std::string() : remote.address().to_string();
  c.remote_port = remote.port();
  c.head_buffer.reserve(512);
  if (context->options->cors)
    c.cors_origin = context->options->cors_origin;
  for (;;) {
    if (!co_await wait_for_request(c))
      break;
    handle.idle = false;
    RequestParser parser;  // a fresh parser, with fresh limits, per request
    const ReadOutcome read = co_await read_request(c, parser);
    if (read.kind == ReadOutcome::Kind::kRefused)
      co_await write_early_error(c, read.status);
    if (read.kind != ReadOutcome::Kind::kRequest || !co_await dispatch_and_respond(c, parser.get()))
      break;
  }
  if (socket.is_open()) {
    socket.shutdown(tcp::socket::shutdown_send, ec);
    socket.close(ec);
  }
}

}  // namespace detail
}  // namespace mysfits::core
