#include "core/client_lane.hpp"

#include <algorithm>
#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <random>

#include "core/ascii.hpp"
#include "core/logging.hpp"

namespace mysfits::core::detail {

namespace {

constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

// RFC 9110 9.2.2. Only these may be replayed after the server may have seen them.
bool is_idempotent(std::string_view method) {
  static constexpr std::array<std::string_view, 6> kIdempotent = {"GET",   "HEAD", "OPTIONS",
                                                                  "TRACE", "PUT",  "DELETE"};
  return std::any_of(kIdempotent.begin(), kIdempotent.end(),
                     [method](std::string_view m) { return iequals(method, m); });
}

// Exponential with +-50 % jitter, so clients that failed together do not retry together.
std::chrono::milliseconds backoff(std::chrono::milliseconds base, int attempt) {
  thread_local std::minstd_rand rng{std::random_device{}()};
  const long long scaled = base.count() << attempt;
  std::uniform_int_distribution<long long> jitter(scaled / 2, scaled + scaled / 2);
  return std::chrono::milliseconds(jitter(rng));
}

}  // namespace

// Owns everything one request needs until its callback runs; whatever operation is pending owns
// the call, so an io_context torn down mid-request frees it with that operation.
struct Call final : ExchangeOwner {
  std::shared_ptr<Lane> lane;  // declared first: outlives the connection below
  ClientRequest request;
  ClientCallback done;
  Clock::time_point deadline;
  bool head = false;
  bool replayable = false;
  bool fresh_only = false;  // after a failed attempt: other pooled connections may be as stale
  int attempt = 0;
  std::unique_ptr<ClientConnection> connection;  // during an exchange
  std::unique_ptr<asio::steady_timer> backoff;   // before a retry

  void exchanged(OwnerPtr self, Exchange result) override {
    auto& owner = *lane;
    owner.exchanged(CallPtr(static_cast<Call*>(self.release())), std::move(result));
  }
};

Lane::Lane(asio::io_context& io, std::shared_ptr<const Shared> shared,
           std::shared_ptr<Counters> counters)
    : io_(io),
      shared_(std::move(shared)),
      counters_(std::move(counters)),
      sweep_(io),
      deadlines_(io) {}

Lane::~Lane() {
  counters_->open.store(0, std::memory_order_relaxed);
  counters_->idle.store(0, std::memory_order_relaxed);
}

void Lane::start(ClientRequest request, ClientCallback done) {
  const auto& options = shared_->options;
  CallPtr call;
  if (spare_calls_.empty()) {
    call = std::make_unique<Call>();
  } else {
    call = std::move(spare_calls_.back());
    spare_calls_.pop_back();
  }
  call->lane = shared_from_this();
  const auto timeout = request.timeout.count() > 0 ? request.timeout : options.request_timeout;
  const auto now = Clock::now();
  call->deadline = now + timeout;
  call->head = iequals(request.method, "HEAD");
  call->replayable = request.idempotent.value_or(is_idempotent(request.method));
  call->request = std::move(request);
  call->done = std::move(done);
  attempt(std::move(call), now);
}

void Lane::close() {
  closed_ = true;
  idle_.clear();
  open_ = in_use_;
  sweep_.cancel();
  publish();
}

void Lane::attempt(CallPtr call, Clock::time_point now) {
  if (!call->fresh_only) {
    if (auto connection = take_idle(now)) {
      ++in_use_;
      call->connection = std::move(connection);
      send_on_connection(std::move(call));
      return;
    }
  }
  asio::co_spawn(io_, acquire(shared_from_this(), std::move(call)),
                 [](const std::exception_ptr& e) {
                   if (e) {
                     std::rethrow_exception(e);  // a throwing callback surfaces from run()
                   }
                 });
}

asio::awaitable<void> Lane::acquire(std::shared_ptr<Lane> self, CallPtr call) {
  auto checkout = co_await self->checkout(call->deadline, call->fresh_only);
  if (checkout.connection) {
    call->connection = std::move(checkout.connection);
    self->send_on_connection(std::move(call));
  } else {
    self->failed(std::move(call), std::move(checkout.failure), true);
  }
}

void Lane::send_on_connection(CallPtr call) {
  auto& connection = *call->connection;
  const auto& request = call->request;
  const bool head = call->head;
  watch(connection, call->deadline);
  connection.exchange(std::move(call), request, shared_->host_header, head,
                      shared_->options.max_response_body);
}

void Lane::exchanged(CallPtr call, Exchange exchange) {
  const bool reused = call->connection->reused;
  call->connection->unwatch();
  checkin(std::move(call->connection), exchange.reusable);
  if (exchange.response) {
    finish(std::move(call), std::move(*exchange.response));
    return;
  }
  Failure failure;
  failure.error = std::move(exchange.error);
  failure.retry_safe =
      !exchange.timed_out && (exchange.nothing_written || exchange.reset_unanswered ||
                              (reused && exchange.nothing_received && call->replayable));
  // Other pooled connections may be just as stale; a fresh one needs no backoff. A fresh
  // connection that failed is a struggling server: back off.
  call->fresh_only = true;
  failed(std::move(call), std::move(failure), !reused);
}

void Lane::failed(CallPtr call, Failure failure, bool pause) {
  const auto& options = shared_->options;
  if (!failure.retry_safe || call->attempt >= options.max_connect_retries) {
    finish(std::move(call), std::move(failure.error));
    return;
  }
  const auto wait =
      pause ? backoff(options.retry_backoff, call->attempt) : std::chrono::milliseconds(0);
  if (Clock::now() + wait >= call->deadline) {
    finish(std::move(call), std::move(failure.error));
    return;
  }
  ++call->attempt;
  counters_->retries.fetch_add(1, std::memory_order_relaxed);
  // Rare by design (only where nothing was processed), so worth a line each.
  log_warn("http_client_retry", {{"upstream", shared_->endpoint.to_string()},
                                 {"attempt", call->attempt},
                                 {"error", failure.error.message}});
  if (wait.count() == 0) {
    attempt(std::move(call), Clock::now());
    return;
  }
  call->backoff = std::make_unique<asio::steady_timer>(io_, wait);
  auto& timer = *call->backoff;
  timer.async_wait([call = std::move(call)](const boost::system::error_code&) mutable {
    auto& lane = *call->lane;
    lane.attempt(std::move(call), Clock::now());
  });
}

void Lane::finish(CallPtr call, Result<ClientResponse> result) {
  auto done = std::move(call->done);
  // Kept for the next request, done before the callback, which may well send it. Without its
  // lane reference, so a spare call never keeps the lane alive; self does until we return.
  const auto self = std::move(call->lane);
  if (spare_calls_.size() < kSpareCalls) {
    call->request = ClientRequest{};  // its body may be large: not kept while spare
    call->attempt = 0;
    call->fresh_only = false;
    call->backoff.reset();
    spare_calls_.push_back(std::move(call));
  } else {
    call.reset();
  }
  done(std::move(result));
}

asio::awaitable<Checkout> Lane::checkout(Clock::time_point deadline, bool fresh_only) {
  if (!fresh_only) {
    if (auto connection = take_idle(Clock::now())) {
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
  watch(*connection, std::min(deadline, Clock::now() + shared_->options.connect_timeout));
  auto failure = co_await connection->connect(shared_->endpoint, shared_->options.verify_tls);
  connection->unwatch();
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

std::unique_ptr<ClientConnection> Lane::take_idle(Clock::time_point now) {
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

void Lane::watch(ClientConnection& connection, Clock::time_point until) {
  connection.watch(watched_, until);
  if (!deadlines_at_ || until < *deadlines_at_) {
    arm_deadlines(until);
  }
}

void Lane::arm_deadlines(Clock::time_point at) {
  deadlines_at_ = at;
  deadlines_.expires_at(at);
  deadlines_.async_wait([weak = weak_from_this()](const boost::system::error_code& ec) {
    if (ec) {
      return;  // re-armed for an earlier deadline, or the lane is closing
    }
    if (auto self = weak.lock()) {
      self->expire_overdue();
    }
  });
}

void Lane::expire_overdue() {
  deadlines_at_.reset();
  const auto now = Clock::now();
  std::optional<Clock::time_point> next;
  for (std::size_t i = 0; i < watched_.size();) {
    auto* connection = watched_[i];
    if (connection->watched_until() <= now) {
      connection->expire();  // leaves the list: the last entry moves to i
      continue;
    }
    if (!next || connection->watched_until() < *next) {
      next = connection->watched_until();
    }
    ++i;
  }
  if (next) {
    arm_deadlines(*next);
  }
}

void Lane::publish() {
  counters_->open.store(open_, std::memory_order_relaxed);
  counters_->idle.store(idle_.size(), std::memory_order_relaxed);
}

}  // namespace mysfits::core::detail
