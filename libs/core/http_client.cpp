#include "core/http_client.hpp"

#include <array>
#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <mutex>
#include <optional>
#include <stdexcept>

#include "core/ascii.hpp"
#include "core/client_lane.hpp"
#include "core/io_context.hpp"

namespace mysfits::core {
namespace {

namespace asio = boost::asio;
using detail::Counters;
using detail::Lane;
using detail::LaneRegistry;
using detail::Shared;

std::atomic<std::uint64_t> g_next_client_id{1};

}  // namespace

struct HttpClient::Impl {
  std::shared_ptr<Shared> shared;

  struct LaneRef {
    asio::io_context* io;
    std::weak_ptr<Lane> lane;
    std::shared_ptr<Counters> counters;
  };
  mutable std::mutex mutex;
  std::vector<LaneRef> lanes;

  // For send_blocking. Declared last, so it is destroyed first: its lane closes (through the
  // registry's shutdown) while everything above still exists.
  std::mutex blocking_mutex;
  asio::io_context blocking_io;

  Lane& lane_for(asio::io_context& io) {
    // Asio's service lookup takes a lock per call; a thread sees the same few clients on the
    // same io_context request after request. Client ids are never reused, and a lane whose
    // io_context has gone has been destroyed with it, so a stale entry cannot be locked.
    struct Cached {
      std::uint64_t client = 0;
      asio::io_context* io = nullptr;
      std::weak_ptr<Lane> lane;
    };
    thread_local std::array<Cached, 16> cache;
    auto& entry = cache[shared->id % cache.size()];
    if (entry.client == shared->id && entry.io == &io) {
      if (auto lane = entry.lane.lock()) {
        return *lane;
      }
    }
    auto& lane = find_or_add(io);
    entry = {shared->id, &io, lane.weak_from_this()};
    return lane;
  }

  Lane& find_or_add(asio::io_context& io) {
    auto& registry = asio::use_service<LaneRegistry>(io);
    auto it = registry.lanes.find(shared->id);
    if (it != registry.lanes.end()) {
      return *it->second;
    }
    auto counters = std::make_shared<Counters>();
    auto lane = std::make_shared<Lane>(io, shared, counters);
    registry.lanes.emplace(shared->id, lane);
    std::lock_guard lock(mutex);
    lanes.push_back({&io, lane, std::move(counters)});
    return *lane;
  }
};

HttpClient::HttpClient(Endpoint endpoint, ClientOptions options)
    : endpoint_(std::move(endpoint)), impl_(std::make_unique<Impl>()) {
  auto shared = std::make_shared<Shared>();
  shared->id = g_next_client_id.fetch_add(1, std::memory_order_relaxed);
  shared->endpoint = endpoint_;
  shared->host_header = endpoint_.host_header();
  shared->options = options;
  if (endpoint_.tls()) {
    shared->tls = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_client);
    shared->tls->set_default_verify_paths();
    if (!options.extra_ca_file.empty()) {
      boost::system::error_code ec;
      shared->tls->load_verify_file(options.extra_ca_file, ec);
      if (ec) {
        throw std::invalid_argument("cannot load CA file " + options.extra_ca_file + ": " +
                                    ec.message());
      }
    }
    shared->tls->set_options(asio::ssl::context::default_workarounds |
                             asio::ssl::context::no_sslv2 | asio::ssl::context::no_sslv3 |
                             asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1);
  }
  impl_->shared = std::move(shared);
}

HttpClient::~HttpClient() {
  // Each lane is touched only on its own thread: ask it to close there. A lane whose
  // io_context is gone has already been closed by the registry's shutdown.
  std::lock_guard lock(impl_->mutex);
  for (auto& ref : impl_->lanes) {
    if (auto lane = ref.lane.lock()) {
      const auto id = impl_->shared->id;
      asio::post(*ref.io, [lane, io = ref.io, id] {
        lane->close();
        asio::use_service<LaneRegistry>(*io).lanes.erase(id);
      });
    }
  }
}

void HttpClient::send(ClientRequest request, ClientCallback done) {
  impl_->lane_for(current_io()).start(std::move(request), std::move(done));
}

Result<ClientResponse> HttpClient::send_blocking(ClientRequest request) {
  std::lock_guard lock(impl_->blocking_mutex);
  auto& io = impl_->blocking_io;
  IoScope scope(io);
  std::optional<Result<ClientResponse>> result;
  send(std::move(request), [&result](Result<ClientResponse> r) { result.emplace(std::move(r)); });
  io.restart();
  while (!result && io.run_one() > 0) {
  }
  if (!result) {
    return Error{Errc::kInternal, "the HTTP client stopped before answering"};
  }
  return std::move(*result);
}

HttpClient::Stats HttpClient::stats() const {
  Stats stats;
  std::lock_guard lock(impl_->mutex);
  for (const auto& ref : impl_->lanes) {
    stats.connections_opened += ref.counters->opened.load(std::memory_order_relaxed);
    stats.open += ref.counters->open.load(std::memory_order_relaxed);
    stats.idle += ref.counters->idle.load(std::memory_order_relaxed);
    stats.retries += ref.counters->retries.load(std::memory_order_relaxed);
  }
  return stats;
}

std::string_view ClientResponse::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (iequals(key, name)) {
      return value;
    }
  }
  return {};
}

}  // namespace mysfits::core
