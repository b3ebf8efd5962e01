#pragma once

#include <optional>
#include <string>

#include "store/dynamodb/credentials/credentials.hpp"

namespace mysfits::store::dynamodb::credentials {

// One source of credentials in the chain. A provider whose source is absent from this
// environment says why (not_configured), and the chain moves on; a configured source that
// fails stops the chain, so a pod meant to use IRSA never silently falls back to a node role.
class Provider {
 public:
  virtual ~Provider() = default;

  // Short name for logs and errors: "environment", "web identity", ...
  virtual std::string name() const = 0;
  // Why this source does not apply here ("AWS_ROLE_ARN not set"), or nullopt when it does.
  virtual std::optional<std::string> not_configured() const = 0;
  // Fetches fresh credentials. Runs on a thread with core::current_io() and completes on it,
  // possibly inline.
  virtual void load(CredentialsCallback done) = 0;
};

}  // namespace mysfits::store::dynamodb::credentials
