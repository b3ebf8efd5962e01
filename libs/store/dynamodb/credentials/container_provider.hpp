#pragma once

#include <memory>

#include "core/http_client.hpp"
#include "store/dynamodb/credentials/http_fetch.hpp"
#include "store/dynamodb/credentials/provider.hpp"

namespace mysfits::store::dynamodb::credentials {

// Container credentials as ECS and EKS Pod Identity provide them: GET
// AWS_CONTAINER_CREDENTIALS_RELATIVE_URI on 169.254.170.2, or AWS_CONTAINER_CREDENTIALS_FULL_URI
// with the Authorization token from AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE (re-read on every
// load: the agent rotates it) or AWS_CONTAINER_AUTHORIZATION_TOKEN. A full URI over plain HTTP
// must point at loopback or the ECS/EKS agent addresses, so a token never leaves the host.
class ContainerProvider final : public Provider {
 public:
  explicit ContainerProvider(Environment env);
  ~ContainerProvider() override;

  std::string name() const override { return "container credentials"; }
  std::optional<std::string> not_configured() const override;
  void load(CredentialsCallback done) override;

 private:
  std::string url_text_;
  std::string token_file_;
  std::string token_;
  std::unique_ptr<core::HttpClient> client_;
};

// True for hosts a plain-HTTP full URI may use: loopback, 169.254.170.2, 169.254.170.23.
bool is_allowed_plain_http_host(const std::string& host);

}  // namespace mysfits::store::dynamodb::credentials
