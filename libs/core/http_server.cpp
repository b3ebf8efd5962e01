#include "core/http_server.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <csignal>
#include <list>
#include <map>
#include <stdexcept>
#include <thread>

#include "core/cpu_allowance.hpp"
#include "core/http_session.hpp"
#include "core/io_context.hpp"
#include "core/logging.hpp"
#include "core/metrics.hpp"

namespace mysfits::core {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

struct HttpServer::Impl {
  struct Periodic {
    std::chrono::milliseconds interval;
    std::function<void()> fn;
  };
  struct Listener {
    std::unique_ptr<tcp::acceptor> acceptor;
    const Router* router = nullptr;
    bool public_traffic = true;
    std::uint16_t port = 0;
  };

  HttpServer& owner;
  ServerOptions options;
  std::shared_ptr<Metrics> metrics;
  std::atomic<std::size_t> open_sessions{0};  // before workers: their sessions count down here
  std::vector<std::unique_ptr<detail::Worker>> workers;
  std::list<Listener> listeners;  // stable addresses: sessions keep a pointer to theirs
  std::vector<std::function<void(int)>> worker_start;
  std::vector<Periodic> periodics;
  std::multimap<int, std::function<void()>> signal_handlers;
  std::atomic<bool> shutdown_requested{false};
  std::size_t next_worker = 0;

  Impl(HttpServer& o, ServerOptions opts, std::shared_ptr<Metrics> m)
      : owner(o), options(std::move(opts)), metrics(std::move(m)) {
    int n = options.threads;
    if (n <= 0) {
      const auto allowance = cpu_allowance();
      n = allowance.worker_threads();
      log_info("workers", {{"threads", n}, {"from", allowance.describe()}});
    }
    for (int i = 0; i < n; ++i)
      workers.push_back(std::make_unique<detail::Worker>(i));
  }

  detail::SessionContext context_for(const Listener& l) {
    detail::SessionContext c;
    c.router = l.router;
    c.options = &options;
    c.server = &owner;
    c.open_sessions = &open_sessions;
    c.local_port = l.port;
    c.metrics = l.public_traffic ? metrics.get() : nullptr;
    if (c.metrics != nullptr) {
      for (const auto& r : l.router->routes())
        c.series[&r] = c.metrics->series(r.label);
      c.unmatched = c.metrics->series("unmatched");
    }
    return c;
  }

  // Connections taken from the backlog at once after each accept that waited (see below).
  static constexpr int kAcceptBatch = 256;

  // One acceptor per listener, on worker 0; accepted sockets go round robin to the workers,
  // each of which owns its connections outright (no strands, no locks on the request path).
  //
  // An accept completes through the event loop like any other operation, so accepting one
  // connection per completion takes one pass over every handler that is ready. When a thousand
  // clients connect at once, the first ones keep a worker busy with their requests and each
  // pass gets longer: the last connections of the burst waited seconds in the backlog (their
  // requests past a client's 2 s timeout) while the first were served again and again. So
  // after each accept, whatever else the backlog holds is taken at once (non-blocking), as
  // nginx's multi_accept does, up to kAcceptBatch so a flood of connections cannot starve the
  // requests already accepted.
  asio::awaitable<void> accept_loop(Listener& l) {
    auto context = std::make_shared<detail::SessionContext>(context_for(l));
    boost::system::error_code mode_error;
    l.acceptor->non_blocking(true, mode_error);  // the batch below never blocks the worker
    for (;;) {
      detail::Worker& w = *workers[next_worker++ % workers.size()];
      auto [ec, socket] =
          co_await l.acceptor->async_accept(w.io, asio::as_tuple(asio::use_awaitable));
      if (ec == asio::error::operation_aborted || !l.acceptor->is_open())
        co_return;
      if (ec) {
        // Out of descriptors or a reset before accept: log, breathe, keep serving.
        log_warn("accept_failed", {{"error", ec.message()}});
        asio::steady_timer t(co_await asio::this_coro::executor, std::chrono::milliseconds(50));
        co_await t.async_wait(asio::as_tuple(asio::use_awaitable));
        continue;
      }
      admit(w, std::move(socket), context);
      for (int taken = 1; taken < kAcceptBatch && !mode_error; ++taken) {
        detail::Worker& next = *workers[next_worker % workers.size()];
        boost::system::error_code backlog_ec;
        tcp::socket more = l.acceptor->accept(next.io, backlog_ec);
        if (backlog_ec)
          break;  // empty (would block); another error shows again on the next async_accept
        ++next_worker;
        admit(next, std::move(more), context);
      }
    }
  }

  // Starts the session of an accepted connection, or closes it when the server is full.
  void admit(detail::Worker& w, tcp::socket socket,
             const std::shared_ptr<detail::SessionContext>& context) {
    if (open_sessions.load(std::memory_order_relaxed) >= options.limits.max_connections) {
      boost::system::error_code ignored;
      socket.close(ignored);
      return;
    }
    open_sessions.fetch_add(1, std::memory_order_relaxed);
    asio::co_spawn(w.io, detail::run_session(w, std::move(socket), context), asio::detached);
  }

  asio::awaitable<void> periodic_loop(Periodic p) {
    asio::steady_timer timer(co_await asio::this_coro::executor);
    while (!owner.draining()) {
      try {
        p.fn();
      } catch (const std::exception& e) {
        log_error("periodic_task_failed", {{"error", e.what()}});
      }
      timer.expires_after(p.interval);
      auto [ec] = co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
      if (ec)
        co_return;
    }
  }

  // Runs on worker 0 once shutdown is requested: close listeners, tell every worker to close
  // idle connections, then wait for in-flight requests until the drain deadline.
  asio::awaitable<void> drain() {
    for (auto& l : listeners) {
      boost::system::error_code ignored;
      l.acceptor->close(ignored);
    }
    for (auto& w : workers) {
      asio::post(w->io, [worker = w.get()] { worker->begin_drain(); });
    }
    auto deadline = std::chrono::steady_clock::now() + options.drain_timeout;
    asio::steady_timer timer(co_await asio::this_coro::executor);
    while (open_sessions.load() > 0 && std::chrono::steady_clock::now() < deadline) {
      timer.expires_after(std::chrono::milliseconds(10));
      co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
    }
    std::size_t left = open_sessions.load();
    log_info("drained", {{"connections_left", static_cast<unsigned long>(left)}});
    for (auto& w : workers)
      w->io.stop();
  }
};

namespace {

// Which server's worker the current thread is, for HttpServer::worker_index.
struct WorkerIdentity {
  const HttpServer* server = nullptr;
  int index = -1;
};
thread_local WorkerIdentity t_worker;

// Each connection costs a descriptor (two on a proxy). The soft limit is often 1024 while the
// hard one is far higher; like nginx's worker_rlimit_nofile, take what the hard limit allows so
// a thousand idle clients cannot starve the accept loop.
void raise_descriptor_limit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
}

}  // namespace

HttpServer::HttpServer(ServerOptions options, std::shared_ptr<Metrics> metrics)
    : impl_(std::make_unique<Impl>(*this, std::move(options), std::move(metrics))) {
  raise_descriptor_limit();
}

HttpServer::~HttpServer() {
  for (auto& w : impl_->workers)
    w->io.stop();
}

int HttpServer::thread_count() const {
  return static_cast<int>(impl_->workers.size());
}

std::size_t HttpServer::open_connections() const {
  return impl_->open_sessions.load(std::memory_order_relaxed);
}

std::uint16_t HttpServer::listen(const std::string& host, std::uint16_t port, const Router& router,
                                 bool public_traffic) {
  auto& io = impl_->workers.front()->io;
  boost::system::error_code ec;
  auto address = asio::ip::make_address(host, ec);
  if (ec)
    throw std::runtime_error("invalid listen address '" + host + "'");
  tcp::endpoint endpoint(address, port);
  auto acceptor = std::make_unique<tcp::acceptor>(io);
  acceptor->open(endpoint.protocol());
  acceptor->set_option(asio::socket_base::reuse_address(true));
  acceptor->bind(endpoint, ec);
  if (ec) {
    throw std::runtime_error("cannot listen on " + host + ":" + std::to_string(port) + ": " +
                             ec.message());
  }
  acceptor->listen(asio::socket_base::max_listen_connections);
  Impl::Listener l;
  l.port = acceptor->local_endpoint().port();
  l.acceptor = std::move(acceptor);
  l.router = &router;
  l.public_traffic = public_traffic;
  impl_->listeners.push_back(std::move(l));
  return impl_->listeners.back().port;
}

void HttpServer::on_worker_start(std::function<void(int)> fn) {
  impl_->worker_start.push_back(std::move(fn));
}

int HttpServer::worker_index() const {
  return t_worker.server == this ? t_worker.index : -1;
}

void HttpServer::post_to_every_worker(std::function<void(int)> fn, std::function<void()> done) {
  struct Round {
    Round(std::function<void(int)> f, std::function<void()> d, std::size_t n)
        : fn(std::move(f)), done(std::move(d)), left(n) {}
    std::function<void(int)> fn;
    std::function<void()> done;
    std::atomic<std::size_t> left;
  };
  auto round = std::make_shared<Round>(std::move(fn), std::move(done), impl_->workers.size());
  for (auto& w : impl_->workers) {
    asio::post(w->io, [round, index = w->index] {
      round->fn(index);
      if (round->left.fetch_sub(1, std::memory_order_acq_rel) == 1 && round->done)
        round->done();
    });
  }
}

void HttpServer::run_every(std::chrono::milliseconds interval, std::function<void()> fn) {
  impl_->periodics.push_back(Impl::Periodic{interval, std::move(fn)});
}

void HttpServer::on_signal(int signal_number, std::function<void()> fn) {
  impl_->signal_handlers.emplace(signal_number, std::move(fn));
}

void HttpServer::shutdown() {
  if (impl_->shutdown_requested.exchange(true))
    return;
  draining_.store(true);
  log_info("shutdown_started", {});
  auto& io = impl_->workers.front()->io;
  asio::co_spawn(io, impl_->drain(), asio::detached);
}

void HttpServer::run() {
  auto& impl = *impl_;
  auto& io0 = impl.workers.front()->io;

  asio::signal_set stop_signals(io0, SIGTERM, SIGINT);
  std::function<void()> wait_stop = [&] {
    stop_signals.async_wait([this](const boost::system::error_code& ec, int) {
      if (!ec)
        shutdown();
    });
  };
  wait_stop();
  asio::signal_set custom_signals(io0);
  for (const auto& [sig, fn] : impl.signal_handlers)
    custom_signals.add(sig);
  std::function<void()> wait_custom = [&] {
    custom_signals.async_wait([&](const boost::system::error_code& ec, int sig) {
      if (ec)
        return;
      auto [begin, end] = impl.signal_handlers.equal_range(sig);
      for (auto it = begin; it != end; ++it)
        it->second();
      wait_custom();
    });
  };
  if (!impl.signal_handlers.empty())
    wait_custom();

  for (auto& l : impl.listeners)
    asio::co_spawn(io0, impl.accept_loop(l), asio::detached);
  for (auto& p : impl.periodics)
    asio::co_spawn(io0, impl.periodic_loop(p), asio::detached);

  // A quarter of the shortest timeout, so each fires at most 25 % late; never busier than 10 ms.
  const auto& limits = impl.options.limits;
  const auto sweep_interval =
      std::clamp(std::min({limits.idle_timeout, limits.request_timeout, limits.write_timeout}) / 4,
                 std::chrono::milliseconds(10), std::chrono::milliseconds(250));
  for (auto& w : impl.workers)
    asio::co_spawn(w->io, detail::run_deadline_sweeper(*w, sweep_interval), asio::detached);

  auto run_worker = [this, &impl](detail::Worker& w) {
    IoScope scope(w.io);
    t_worker = WorkerIdentity{this, w.index};
    for (auto& fn : impl.worker_start)
      fn(w.index);
    auto guard = asio::make_work_guard(w.io);
    w.io.run();
    t_worker = WorkerIdentity{};
  };
  std::vector<std::thread> threads;
  for (std::size_t i = 1; i < impl.workers.size(); ++i) {
    threads.emplace_back([&run_worker, w = impl.workers[i].get()] { run_worker(*w); });
  }
  run_worker(*impl.workers.front());
  for (auto& t : threads)
    t.join();
  boost::system::error_code ignored;
  stop_signals.cancel(ignored);
  custom_signals.cancel(ignored);
}

}  // namespace mysfits::core
