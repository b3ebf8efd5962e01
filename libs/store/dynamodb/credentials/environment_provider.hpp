#pragma once

#include "store/dynamodb/credentials/provider.hpp"

namespace mysfits::store::dynamodb::credentials {

// AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY (+ AWS_SESSION_TOKEN), read when loaded.
class EnvironmentProvider final : public Provider {
 public:
  explicit EnvironmentProvider(Environment env) : env_(std::move(env)) {}

  std::string name() const override { return "environment"; }
  std::optional<std::string> not_configured() const override;
  void load(CredentialsCallback done) override;

 private:
  Environment env_;
};

}  // namespace mysfits::store::dynamodb::credentials
