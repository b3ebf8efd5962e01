#include "core/client_lane.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/verb.hpp>
#include <cctype>
#include <random>

#include "core/logging.hpp"

namespace mysfits::core::detail {
namespace {

namespace http = boost::beast::http;

constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

// RFC 9110 9.2.2. Only these may be replayed after the server may have seen them.
bool is_idempotent(std::string_view method) {
  for (std::string_view m : {"GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE"}) {
    if (iequals(method, m)) {
      return true;
    }
  }
  return false;
}

// Exponential with +-50 % jitter, so clients that failed together do not retry together.
std::chrono::milliseconds backoff(std::chrono::milliseconds base, int attempt) {
  thread_local std::minstd_rand rng{std::random_device{}()};
  const long long scaled = base.count() << attempt;
  std::uniform_int_distribution<long long> jitter(scaled / 2, scaled + scaled / 2);
  return std::chrono::milliseconds(jitter(rng));
}

detail::OutgoingMessage build_message(const ClientRequest& request, const Endpoint& endpoint) {
  detail::OutgoingMessage message;
  const auto verb = http::string_to_verb(request.method);
  if (verb == http::verb::unknown) {
    message.method_string(request.method);
  } else {
    message.method(verb);
  }
  message.target(request.target);
  message.version(11);
  message.set(http::field::host, endpoint.host_header());
  for (const auto& [name, value] : request.headers) {
    if (iequals(name, "host")) {
      message.set(name, value);
    } else {
      message.insert(name, value);
    }
  }
  message.body() = request.body;
  message.prepare_payload();
  return message;
}

}  // namespace

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

void Lane::start(ClientRequest request, ClientCallback done) {
  asio::co_spawn(io_, run(shared_from_this(), std::move(request), std::move(done)),
                 [](const std::exception_ptr& e) {
                   if (e) {
                     std::rethrow_exception(e);  // a throwing callback surfaces from run()
                   }
                 });
}

void Lane::close() {
  closed_ = true;
  idle_.clear();
  open_ = in_use_;
  sweep_.cancel();
  publish();
}

asio::awaitable<void> Lane::run(std::shared_ptr<Lane> self, ClientRequest request,
                                ClientCallback done) {
  auto result = co_await self->perform(request);
  done(std::move(result));
}

asio::awaitable<Result<ClientResponse>> Lane::perform(const ClientRequest& request) {
  const auto& options = shared_->options;
  const auto timeout = request.timeout.count() > 0 ? request.timeout : options.request_timeout;
  const auto deadline = Clock::now() + timeout;
  const auto message = build_message(request, shared_->endpoint);
  const bool head = iequals(request.method, "HEAD");
  const bool replayable = request.idempotent.value_or(is_idempotent(request.method));
  bool fresh_only = false;
  for (int attempt = 0;; ++attempt) {
    auto checkout = co_await this->checkout(deadline, fresh_only);
    Failure failure = std::move(checkout.failure);
    bool pause = true;
    if (checkout.connection) {
      auto& connection = *checkout.connection;
      const bool reused = connection.reused;
      auto exchange =
          co_await connection.exchange(message, head, deadline, options.max_response_body);
      checkin(std::move(checkout.connection), exchange.reusable);
      if (exchange.response) {
        co_return std::move(*exchange.response);
      }
      failure.error = std::move(exchange.error);
      failure.retry_safe =
          !exchange.timed_out && (exchange.nothing_written || exchange.reset_unanswered ||
                                  (reused && exchange.nothing_received && replayable));
      // Other pooled connections may be just as stale; a fresh one needs no backoff. A fresh
      // connection that failed is a struggling server: back off.
      fresh_only = true;
      pause = !reused;
    }
    if (!failure.retry_safe || attempt >= options.max_connect_retries) {
      co_return std::move(failure.error);
    }
    const auto wait =
        pause ? backoff(options.retry_backoff, attempt) : std::chrono::milliseconds(0);
    if (Clock::now() + wait >= deadline) {
      co_return std::move(failure.error);
    }
    counters_->retries.fetch_add(1, std::memory_order_relaxed);
    // Rare by design (only where nothing was processed), so worth a line each.
    log_warn("http_client_retry", {{"upstream", shared_->endpoint.to_string()},
                                   {"attempt", attempt + 1},
                                   {"error", failure.error.message}});
    if (wait.count() > 0) {
      asio::steady_timer timer(io_, wait);
      co_await timer.async_wait(kNoThrow);
    }
  }
}

asio::awaitable<Checkout> Lane::checkout(Clock::time_point deadline, bool fresh_only) {
  if (!fresh_only) {
    if (auto connection = take_idle()) {
      ++in_use_;
      co_return Checkout{std::move(connection), {}};
    }
  } else if (open_ >= shared_->options.max_open_per_thread && !idle_.empty()) {
    idle_.pop_front();  // make room: the oldest idle connection is the likeliest stale
    --open_;
  }
  if (open_ < shared_->options.max_open_per_thread) {
    ++open_;
  } else {
    Waiter waiter(io_);
    waiter.timer.expires_at(deadline);
    waiters_.push_back(&waiter);
    co_await waiter.timer.async_wait(kNoThrow);
    if (!waiter.granted) {
      std::erase(waiters_, &waiter);
      co_return no_free_connection();
    }
    if (Clock::now() >= deadline) {  // granted too late: pass it on, open nothing for nothing
      if (waiter.connection) {
        ++in_use_;
        checkin(std::move(waiter.connection), true);
      } else {
        release_slot();
      }
      co_return no_free_connection();
    }
    if (waiter.connection && !fresh_only) {
      ++in_use_;
      co_return Checkout{std::move(waiter.connection), {}};
    }
    waiter.connection.reset();  // keep its slot for the fresh connection
  }
  ++in_use_;
  publish();
  auto connection = std::make_unique<ClientConnection>(io_, shared_->tls.get());
  auto failure = co_await connection->connect(shared_->endpoint, shared_->options.connect_timeout,
                                              deadline, shared_->options.verify_tls);
  if (failure) {
    --in_use_;
    release_slot();
    co_return Checkout{nullptr, std::move(*failure)};
  }
  counters_->opened.fetch_add(1, std::memory_order_relaxed);
  co_return Checkout{std::move(connection), {}};
}

Checkout Lane::no_free_connection() const {
  return {nullptr,
          {{Errc::kTimeout,
            "no free connection to " + shared_->endpoint.to_string() + " before the deadline"},
           false}};
}

std::unique_ptr<ClientConnection> Lane::take_idle() {
  const auto now = Clock::now();
  while (!idle_.empty()) {
    auto connection = std::move(idle_.back());  // the most recently used: warmest, least stale
    idle_.pop_back();
    if (now - connection->idle_since < shared_->options.idle_timeout && connection->looks_alive()) {
      publish();
      return connection;
    }
    connection.reset();
    release_slot();
  }
  return nullptr;
}

void Lane::checkin(std::unique_ptr<ClientConnection> connection, bool reusable) {
  --in_use_;
  if (!reusable || closed_) {
    connection.reset();
    release_slot();
    return;
  }
  connection->reused = true;
  connection->idle_since = Clock::now();
  if (!waiters_.empty()) {
    auto* waiter = waiters_.front();
    waiters_.pop_front();
    waiter->granted = true;
    waiter->connection = std::move(connection);
    waiter->timer.cancel();
    return;
  }
  if (idle_.size() >= shared_->options.max_idle_per_thread) {
    connection.reset();
    release_slot();
    return;
  }
  idle_.push_back(std::move(connection));
  publish();
  arm_sweep();
}

void Lane::release_slot() {
  --open_;
  if (!waiters_.empty() && !closed_) {
    auto* waiter = waiters_.front();
    waiters_.pop_front();
    ++open_;
    waiter->granted = true;
    waiter->timer.cancel();
  }
  publish();
}

void Lane::arm_sweep() {
  if (sweep_armed_ || idle_.empty()) {
    return;
  }
  sweep_armed_ = true;
  sweep_.expires_at(idle_.front()->idle_since + shared_->options.idle_timeout);
  sweep_.async_wait([weak = weak_from_this()](const boost::system::error_code& ec) {
    auto self = weak.lock();
    if (!self || ec) {
      return;
    }
    self->sweep_armed_ = false;
    const auto cutoff = Clock::now() - self->shared_->options.idle_timeout;
    while (!self->idle_.empty() && self->idle_.front()->idle_since <= cutoff) {
      self->idle_.pop_front();
      self->release_slot();
    }
    self->publish();
    self->arm_sweep();
  });
}

void Lane::publish() {
  counters_->open.store(open_, std::memory_order_relaxed);
  counters_->idle.store(idle_.size(), std::memory_order_relaxed);
}

}  // namespace mysfits::core::detail
