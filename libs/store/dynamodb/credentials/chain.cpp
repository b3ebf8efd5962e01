#include "store/dynamodb/credentials/chain.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <mutex>
#include <optional>
#include <string>

#include "core/io_context.hpp"
#include "core/logging.hpp"
#include "store/dynamodb/credentials/container_provider.hpp"
#include "store/dynamodb/credentials/environment_provider.hpp"
#include "store/dynamodb/credentials/imds_provider.hpp"
#include "store/dynamodb/credentials/profile_provider.hpp"
#include "store/dynamodb/credentials/web_identity_provider.hpp"

namespace mysfits::store::dynamodb::credentials {

struct Chain::State : std::enable_shared_from_this<Chain::State> {
  // First member, so it is destroyed last: the providers' HTTP clients may keep connections
  // that were opened on it by resolve_blocking().
  boost::asio::io_context blocking_io;
  std::vector<std::unique_ptr<Provider>> providers;
  Clock clock;
  RefreshPolicy policy;

  struct Waiter {
    boost::asio::io_context* io;
    CredentialsCallback done;
  };

  mutable std::mutex mutex;
  std::optional<Credentials> cached;
  std::optional<std::size_t> active;  // the provider that answered, once one has
  bool refreshing = false;
  std::vector<Waiter> waiters;
  std::optional<core::Error> last_error;
  std::chrono::system_clock::time_point next_attempt{};
  std::uint64_t loads = 0;

  void start_refresh();
  void walk(std::size_t index, std::string tried);
  void finish(core::Result<Credentials> result);
};

void Chain::State::start_refresh() {
  std::optional<std::size_t> provider;
  {
    std::lock_guard lock(mutex);
    provider = active;
    ++loads;
  }
  if (!provider) {
    walk(0, "");
    return;
  }
  auto self = shared_from_this();
  providers[*provider]->load([self, provider](core::Result<Credentials> result) {
    if (!result.ok()) {
      result = core::Error{result.error().code,
                           self->providers[*provider]->name() + ": " + result.error().message};
    }
    self->finish(std::move(result));
  });
}

void Chain::State::walk(std::size_t index, std::string tried) {
  for (; index < providers.size(); ++index) {
    auto reason = providers[index]->not_configured();
    if (!reason) {
      break;
    }
    tried += (tried.empty() ? "" : "; ") + providers[index]->name() + ": " + *reason;
  }
  if (index == providers.size()) {
    finish(core::Error{core::Errc::kUnavailable, "no AWS credentials found (tried " + tried + ")"});
    return;
  }
  auto self = shared_from_this();
  providers[index]->load([self, index, tried](core::Result<Credentials> result) {
    if (result.ok()) {
      std::lock_guard lock(self->mutex);
      self->active = index;
    } else {
      // A configured source that fails ends the walk: falling through to, say, the node's
      // IMDS role would run the service with rights it was not meant to have.
      std::string message = self->providers[index]->name() + ": " + result.error().message;
      if (!tried.empty()) {
        message += " (not configured: " + tried + ")";
      }
      result = core::Error{result.error().code, std::move(message)};
    }
    self->finish(std::move(result));
  });
}

void Chain::State::finish(core::Result<Credentials> result) {
  auto now = clock();
  std::vector<Waiter> ready;
  std::optional<Credentials> fallback;
  {
    std::lock_guard lock(mutex);
    refreshing = false;
    if (result.ok()) {
      cached = result.value();
      last_error.reset();
    } else {
      last_error = result.error();
      next_attempt = now + policy.retry_after;
      // Keys that have not expired yet still beat an error.
      if (cached && cached->expiration && now < *cached->expiration) {
        fallback = cached;
      }
    }
    ready.swap(waiters);
  }
  if (result.ok()) {
    const Credentials& c = result.value();
    long long expires_in =
        c.expiration ? std::chrono::duration_cast<std::chrono::seconds>(*c.expiration - now).count()
                     : -1;
    core::log_info("aws_credentials_loaded", {{"source", c.source},
                                              {"access_key_id", redact(c.access_key_id)},
                                              {"expires_in_s", expires_in}});
  } else {
    core::log_warn("aws_credentials_failed",
                   {{"error", result.error().message}, {"using_previous", fallback.has_value()}});
  }
  for (auto& waiter : ready) {
    core::Result<Credentials> outcome = fallback ? core::Result<Credentials>(*fallback) : result;
    boost::asio::post(*waiter.io, [done = std::move(waiter.done), outcome = std::move(outcome)] {
      done(outcome);
    });
  }
}

Chain::Chain(std::vector<std::unique_ptr<Provider>> providers, Clock clock, RefreshPolicy policy)
    : state_(std::make_shared<State>()) {
  state_->providers = std::move(providers);
  state_->clock = clock ? std::move(clock) : Clock(std::chrono::system_clock::now);
  state_->policy = policy;
}

Chain::~Chain() = default;

std::unique_ptr<Chain> Chain::standard(const Environment& env, Clock clock, RefreshPolicy policy) {
  std::vector<std::unique_ptr<Provider>> providers;
  providers.push_back(std::make_unique<EnvironmentProvider>(env));
  providers.push_back(std::make_unique<ProfileProvider>(env));
  providers.push_back(std::make_unique<WebIdentityProvider>(env, clock));
  providers.push_back(std::make_unique<ContainerProvider>(env));
  providers.push_back(std::make_unique<ImdsProvider>(env));
  return std::make_unique<Chain>(std::move(providers), std::move(clock), policy);
}

void Chain::get(CredentialsCallback done) {
  State& s = *state_;
  auto now = s.clock();
  std::unique_lock lock(s.mutex);
  if (s.cached) {
    const auto& expiration = s.cached->expiration;
    bool fresh = !expiration || now < *expiration - s.policy.prefetch;
    bool usable = fresh || now < *expiration - s.policy.stale;
    if (usable) {
      bool start = !fresh && !s.refreshing && now >= s.next_attempt;
      s.refreshing = s.refreshing || start;
      Credentials credentials = *s.cached;
      lock.unlock();
      if (start) {
        s.start_refresh();
      }
      done(std::move(credentials));
      return;
    }
  }
  if (!s.refreshing && s.last_error && now < s.next_attempt) {
    core::Error error = *s.last_error;
    lock.unlock();
    done(std::move(error));
    return;
  }
  s.waiters.push_back({&core::current_io(), std::move(done)});
  bool start = !s.refreshing;
  s.refreshing = true;
  lock.unlock();
  if (start) {
    s.start_refresh();
  }
}

core::Result<Credentials> Chain::resolve_blocking() {
  auto& io = state_->blocking_io;
  io.restart();
  core::IoScope scope(io);
  std::optional<core::Result<Credentials>> outcome;
  // A refresh started by another thread completes us by posting here: keep run_one() waiting.
  auto guard = boost::asio::make_work_guard(io);
  get([&outcome](core::Result<Credentials> result) { outcome = std::move(result); });
  while (!outcome) {
    io.run_one();
  }
  return std::move(*outcome);
}

std::uint64_t Chain::loads() const {
  std::lock_guard lock(state_->mutex);
  return state_->loads;
}

}  // namespace mysfits::store::dynamodb::credentials
