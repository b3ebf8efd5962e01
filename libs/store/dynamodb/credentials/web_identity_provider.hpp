#pragma once

#include <memory>

#include "core/http_client.hpp"
#include "store/dynamodb/credentials/provider.hpp"

namespace mysfits::store::dynamodb::credentials {

// IRSA: the pod's projected service-account token (AWS_WEB_IDENTITY_TOKEN_FILE, re-read on
// every load because the kubelet rotates it) exchanged for role credentials (AWS_ROLE_ARN) by
// STS AssumeRoleWithWebIdentity, an unsigned call. STS endpoint: AWS_ENDPOINT_URL_STS, else
// the regional one (AWS_REGION, AWS_DEFAULT_REGION, us-east-1).
class WebIdentityProvider final : public Provider {
 public:
  explicit WebIdentityProvider(Environment env, Clock clock = {});
  ~WebIdentityProvider() override;

  std::string name() const override { return "web identity"; }
  std::optional<std::string> not_configured() const override;
  void load(CredentialsCallback done) override;

  const std::string& sts_url() const { return sts_url_; }

 private:
  std::string role_arn_;
  std::string token_file_;
  std::string session_name_;
  std::string sts_url_;
  Clock clock_;
  std::unique_ptr<core::HttpClient> client_;
};

}  // namespace mysfits::store::dynamodb::credentials
