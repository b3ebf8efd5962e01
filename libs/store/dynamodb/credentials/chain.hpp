#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <vector>

#include "store/dynamodb/credentials/provider.hpp"

namespace mysfits::store::dynamodb::credentials {

struct RefreshPolicy {
  // Closer than this to expiry, the next caller starts a refresh in the background and still
  // gets the current credentials.
  std::chrono::seconds prefetch{300};
  // Closer than this, callers wait for the refresh (they would risk signing with keys that
  // expire in flight).
  std::chrono::seconds stale{60};
  // After a failed refresh, no new attempt before this long (no hammering of STS or IMDS);
  // callers that have no usable credentials get the last error meanwhile.
  std::chrono::seconds retry_after{5};
};

// The credential chain: walks the providers in order until one is configured, then sticks to
// it. Caches what it returns and refreshes temporary credentials ahead of expiry, one refresh
// at a time: callers that need fresh credentials while a refresh is in flight wait for that
// one (no stampede). Thread-safe; each caller is completed on its own thread's io_context.
class Chain {
 public:
  explicit Chain(std::vector<std::unique_ptr<Provider>> providers, Clock clock = {},
                 RefreshPolicy policy = {});
  ~Chain();
  Chain(const Chain&) = delete;
  Chain& operator=(const Chain&) = delete;

  // The standard order (docs/api.md): environment, shared credentials file, web identity,
  // container, IMDSv2.
  static std::unique_ptr<Chain> standard(const Environment& env, Clock clock = {},
                                         RefreshPolicy policy = {});

  // Needs core::current_io(). Completes inline when cached credentials are fresh, else later
  // on the calling thread.
  void get(CredentialsCallback done);

  // For start-up: waits for credentials on a private io_context. The error of a chain that
  // found nothing names every provider and why it did not apply.
  core::Result<Credentials> resolve_blocking();

  // How many provider loads were started (tests check "one refresh, not one per caller").
  std::uint64_t loads() const;

 private:
  struct State;
  std::shared_ptr<State> state_;
};

}  // namespace mysfits::store::dynamodb::credentials
