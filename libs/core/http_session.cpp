#include "core/http_session.hpp"

#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <mutex>
#include <optional>
#include <random>

#include "core/ascii.hpp"
#include "core/head_text.hpp"
#include "core/logging.hpp"
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

// Where an async handler's response meets the waiting connection. A handler that answers
// before it returns (an embedded store) leaves the response here and the connection carries on
// without suspending; a later answer, from any thread, resumes the connection through post().
struct AsyncReply {
  class Waiter {
   public:
    virtual ~Waiter() = default;
    virtual void resume(Response response) = 0;
  };

  std::mutex mutex;
  std::optional<Response> response;  // answered, nobody waiting yet
  std::unique_ptr<Waiter> waiter;    // the connection waits
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
    std::unique_lock lock(reply_->mutex);
    if (!reply_->waiter) {
      reply_->response = std::move(response);
      return;
    }
    auto waiter = std::move(reply_->waiter);
    lock.unlock();
    waiter->resume(std::move(response));
  }

 private:
  std::shared_ptr<AsyncReply> reply_;
};

std::optional<Response> take_response(AsyncReply& reply) {
  std::lock_guard lock(reply.mutex);
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

// 0: close without a response (the peer left, or the socket is already closed by a timeout).
int status_for_read_error(const boost::system::error_code& ec) {
  if (ec == http::error::header_limit)
    return 431;
  if (ec == http::error::body_limit)
    return 413;
  if (ec == http::error::end_of_stream || ec == http::error::partial_message)
    return 0;
  if (ec.category() == http::make_error_code(http::error::bad_method).category())
    return 400;
  return 0;
}

// Beast limits only the whole header, so a request line of more than max_header_total bytes
// fails as "header too large"; it is still a request line too long (414), as a shorter one is.
// Measured on the bytes before Beast parses them: when a header is what overflows, Beast has
// already consumed the request line from the buffer.
std::size_t request_line_length(std::string_view bytes) {
  const auto end_of_line = bytes.find("\r\n");
  return end_of_line == std::string_view::npos ? bytes.size() : end_of_line;
}

// Limits Beast does not enforce itself: the request line and each header field on its own.
int status_for_oversized_parts(const BeastRequest& msg, const ServerLimits& limits) {
  if (msg.method_string().size() + msg.target().size() + 10 > limits.max_request_line)
    return 414;
  for (const auto& f : msg.base()) {
    if (f.name_string().size() + f.value().size() + 2 > limits.max_header_field)
      return 431;
  }
  return 0;
}

// Framing that two parsers could read differently is how requests get smuggled through a proxy:
// a server in front of others must refuse it rather than guess. Only a lone "chunked" is a
// transfer coding we accept (Beast already refuses Content-Length together with chunked).
int status_for_ambiguous_framing(const BeastRequest& msg) {
  int codings = 0;
  for (const auto& f : msg.base()) {
    if (f.name() != http::field::transfer_encoding)
      continue;
    if (++codings > 1 || msg.version() < 11)
      return 400;
    if (!iequals(trim_ows(f.value()), "chunked"))
      return 400;
  }
  return 0;
}

// obs-fold (a header line continued on the next line) is obsolete; a server may reject it or
// unfold it, and an edge that unfolds can be read differently by the next hop, so we reject.
// Control bytes outside line ends: not an HTTP head at all (TLS, binary junk). Beast refuses
// such bytes at once, so there is no point waiting for the rest of a header block.
bool is_binary(std::string_view bytes) {
  for (unsigned char c : bytes)
    if ((c < 0x20 && c != '\r' && c != '\n' && c != '\t') || c == 0x7f)
      return true;
  return false;
}

bool has_obs_fold(std::string_view header_block) {
  return header_block.find("\r\n ") != std::string_view::npos ||
         header_block.find("\r\n\t") != std::string_view::npos;
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
        std::unique_lock lock(reply->mutex);
        auto waiter = std::make_unique<Waiter>(std::move(completion), executor);
        if (!reply->response) {
          reply->waiter = std::move(waiter);
          return;
        }
        // Answered from another thread between the check above and now.
        auto answered = std::exchange(reply->response, std::nullopt);
        lock.unlock();
        waiter->resume(std::move(*answered));
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

asio::awaitable<void> run_session(Worker& worker, tcp::socket socket,
                                  std::shared_ptr<const SessionContext> context) {
  const SessionContext& ctx = *context;
  const ServerLimits& limits = ctx.options->limits;
  boost::system::error_code ec;
  socket.set_option(tcp::no_delay(true), ec);
  auto remote = socket.remote_endpoint(ec);
  const std::string remote_address = ec ? std::string() : remote.address().to_string();
  tcp::socket& stream = socket;
  // Deadlines are enforced by the worker's sweeper (run_deadline_sweeper), not by a timer per
  // operation: arming and cancelling a timer around every read and write cost more than the
  // request's own work. Between a request and its response, the handler's deadlines apply.
  SessionHandle handle{&socket, true, Clock::time_point::max()};
  auto arm = [&handle](std::chrono::milliseconds timeout) {
    handle.deadline = Clock::now() + timeout;
  };
  worker.sessions.push_front(&handle);
  struct Unregister {
    Worker& w;
    std::list<SessionHandle*>::iterator it;
    std::atomic<std::size_t>* open;
    ~Unregister() {
      w.sessions.erase(it);
      open->fetch_sub(1, std::memory_order_relaxed);
    }
  } unregister{worker, worker.sessions.begin(), ctx.open_sessions};

  beast::flat_buffer buffer;
  std::string head_buffer;  // reused by every response of the connection
  head_buffer.reserve(512);
  std::string request_id;
  const std::string_view cors_origin =
      ctx.options->cors ? std::string_view(ctx.options->cors_origin) : std::string_view();
  for (;;) {
    if (buffer.size() == 0) {
      handle.idle = true;
      if (worker.draining)
        break;
      arm(limits.idle_timeout);
      auto [read_ec, n] = co_await stream.async_read_some(buffer.prepare(8192),
                                                          asio::as_tuple(asio::use_awaitable));
      if (read_ec)
        break;
      buffer.commit(n);
    }
    handle.idle = false;

    http::request_parser<http::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(limits.max_header_total));
    parser.body_limit(limits.max_body);
    arm(limits.request_timeout);
    // The raw header block is looked at once before Beast parses it, because Beast unfolds
    // obs-fold silently. Past the size limit, Beast's own parse answers 431.
    bool folded = false;
    std::size_t line_length = 0;
    for (;;) {
      std::string_view seen(static_cast<const char*>(buffer.data().data()), buffer.size());
      line_length = request_line_length(seen);
      auto end = seen.find("\r\n\r\n");
      if (end != std::string_view::npos) {
        folded = has_obs_fold(seen.substr(0, end + 2));
        break;
      }
      if (seen.size() > limits.max_header_total + limits.max_request_line || is_binary(seen))
        break;
      auto [more_ec, more] = co_await stream.async_read_some(buffer.prepare(8192),
                                                             asio::as_tuple(asio::use_awaitable));
      if (more_ec)
        break;
      buffer.commit(more);
    }
    auto [head_ec, head_n] = co_await http::async_read_header(stream, buffer, parser,
                                                              asio::as_tuple(asio::use_awaitable));
    int early_status =
        head_ec ? status_for_read_error(head_ec) : status_for_oversized_parts(parser.get(), limits);
    if (head_ec == http::error::header_limit && line_length > limits.max_request_line)
      early_status = 414;
    if (!head_ec && early_status == 0)
      early_status = folded ? 400 : status_for_ambiguous_framing(parser.get());
    if (!head_ec && early_status == 0 && !parser.is_done()) {
      if (iequals(parser.get()[http::field::expect], "100-continue")) {
        static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
        co_await asio::async_write(stream, asio::buffer(kContinue.data(), kContinue.size()),
                                   asio::as_tuple(asio::use_awaitable));
      }
      auto [body_ec, body_n] =
          co_await http::async_read(stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
      if (body_ec) {
        head_ec = body_ec;
        early_status = status_for_read_error(body_ec);
      }
    }
    if (head_ec || early_status != 0) {
      if (early_status != 0 && stream.is_open()) {
        auto error = Response::error(early_status, "bad_request",
                                     early_status == 431   ? "request headers too large"
                                     : early_status == 413 ? "request body too large"
                                     : early_status == 414 ? "request line too long"
                                                           : "malformed request");
        HeadOptions head;
        head.keep_alive = false;
        head.cors_origin = cors_origin;
        arm(limits.write_timeout);
        co_await asio::async_write(stream, response_buffers(head_buffer, error, head),
                                   asio::as_tuple(asio::use_awaitable));
        if (ctx.unmatched != nullptr)
          ctx.unmatched->observe(early_status, 0);
      }
      break;
    }

    handle.deadline = Clock::time_point::max();
    const auto started = Clock::now();
    const BeastRequest& msg = parser.get();
    request_id.clear();
    if (ctx.options->request_ids) {
      auto given = msg["X-Request-Id"];
      if (valid_request_id(given))
        request_id.assign(given);
      else
        make_request_id(request_id);
    }
    detail::RawRequest raw{&msg, ctx.local_port, remote.port()};
    Request request(&raw, msg.method_string(), msg.target(), msg.body(), remote_address,
                    request_id);
    Metrics::RequestSeries* series = nullptr;
    Response response = co_await dispatch(ctx, request, msg, series);
    const int status = response.status;
    HeadOptions head;
    head.version = msg.version() == 10 ? 10 : 11;
    head.head_request = msg.method() == http::verb::head;
    head.keep_alive = msg.keep_alive() && !worker.draining;
    head.cors_origin = cors_origin;
    head.request_id = request_id;

    // Recorded before the write, so a client that has its answer also sees it counted.
    const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
    if (series != nullptr)
      series->observe(status, seconds);
    arm(limits.write_timeout);
    auto [write_ec, written] = co_await asio::async_write(
        stream, response_buffers(head_buffer, response, head), asio::as_tuple(asio::use_awaitable));
    if (log_enabled(LogLevel::kDebug)) {
      log_debug("request", {{"method", std::string_view(msg.method_string())},
                            {"path", request.path()},
                            {"status", status},
                            {"micros", static_cast<long long>(seconds * 1e6)},
                            {"request_id", request_id}});
    }
    if (write_ec || !head.keep_alive)
      break;
  }
  if (stream.is_open()) {
    stream.shutdown(tcp::socket::shutdown_send, ec);
    stream.close(ec);
  }
}

}  // namespace detail
}  // namespace mysfits::core
