#include "store/dynamodb/credentials/environment_provider.hpp"

namespace mysfits::store::dynamodb::credentials {

std::optional<std::string> EnvironmentProvider::not_configured() const {
  if (!env_("AWS_ACCESS_KEY_ID") && !env_("AWS_SECRET_ACCESS_KEY")) {
    return "AWS_ACCESS_KEY_ID not set";
  }
  return std::nullopt;
}

void EnvironmentProvider::load(CredentialsCallback done) {
  auto key = env_("AWS_ACCESS_KEY_ID");
  auto secret = env_("AWS_SECRET_ACCESS_KEY");
  // Half a key pair is a mistake to report, not a reason to look elsewhere.
  if (!key || !secret) {
    done(core::Error{core::Errc::kUnavailable,
                     key ? "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not"
                         : "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not"});
    return;
  }
  Credentials credentials;
  credentials.access_key_id = *key;
  credentials.secret_access_key = *secret;
  credentials.session_token = env_("AWS_SESSION_TOKEN").value_or("");
  credentials.source = name();
  done(std::move(credentials));
}

}  // namespace mysfits::store::dynamodb::credentials
