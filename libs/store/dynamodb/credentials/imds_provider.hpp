#pragma once

#include <memory>

#include "core/http_client.hpp"
#include "store/dynamodb/credentials/provider.hpp"

namespace mysfits::store::dynamodb::credentials {

// The EC2 instance role through IMDSv2: PUT a session token, then GET the role name and its
// credentials with it. Off when AWS_EC2_METADATA_DISABLED=true; AWS_EC2_METADATA_SERVICE_ENDPOINT
// moves it (tests). Short timeouts: off EC2 nothing answers, and start-up must not hang on it.
class ImdsProvider final : public Provider {
 public:
  explicit ImdsProvider(Environment env);
  ~ImdsProvider() override;

  std::string name() const override { return "IMDSv2"; }
  std::optional<std::string> not_configured() const override;
  void load(CredentialsCallback done) override;

 private:
  void get(std::string target, std::string token, std::string what,
           std::function<void(core::Result<std::string>)> done);

  bool disabled_ = false;
  std::string endpoint_text_;
  std::unique_ptr<core::HttpClient> client_;
};

}  // namespace mysfits::store::dynamodb::credentials
