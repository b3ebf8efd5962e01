#include "store/dynamodb/credentials/web_identity_provider.hpp"

#include "store/dynamodb/credentials/http_fetch.hpp"
#include "store/dynamodb/credentials/sts_response.hpp"
#include "store/dynamodb/region.hpp"
#include "store/dynamodb/sigv4.hpp"

namespace mysfits::store::dynamodb::credentials {
namespace {

std::string trim_token(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) {
    text.pop_back();
  }
  return text;
}

}  // namespace

WebIdentityProvider::WebIdentityProvider(Environment env, Clock clock)
    : role_arn_(env("AWS_ROLE_ARN").value_or("")),
      token_file_(env("AWS_WEB_IDENTITY_TOKEN_FILE").value_or("")),
      session_name_(env("AWS_ROLE_SESSION_NAME").value_or("")),
      clock_(clock ? std::move(clock) : Clock(std::chrono::system_clock::now)) {
  if (auto override_url = env("AWS_ENDPOINT_URL_STS")) {
    sts_url_ = *override_url;
  } else {
    sts_url_ = "https://sts." + resolve_region(env) + ".amazonaws.com";
  }
}

WebIdentityProvider::~WebIdentityProvider() = default;

std::optional<std::string> WebIdentityProvider::not_configured() const {
  if (role_arn_.empty() && token_file_.empty()) {
    return "AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE not set";
  }
  return std::nullopt;
}

void WebIdentityProvider::load(CredentialsCallback done) {
  if (role_arn_.empty() || token_file_.empty()) {
    done(core::Error{core::Errc::kUnavailable,
                     "web identity needs both AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE"});
    return;
  }
  auto token = read_text_file(token_file_);
  if (!token.ok()) {
    done(core::Error{core::Errc::kUnavailable,
                     "web identity token (AWS_WEB_IDENTITY_TOKEN_FILE): " + token.error().message});
    return;
  }
  auto url = parse_url(sts_url_);
  if (!url.ok()) {
    done(core::Error{core::Errc::kUnavailable, "STS endpoint: " + url.error().message});
    return;
  }
  if (!client_) {
    core::ClientOptions options;
    options.request_timeout = std::chrono::seconds(5);
    client_ = std::make_unique<core::HttpClient>(url->endpoint, options);
  }
  std::string session = session_name_;
  if (session.empty()) {
    auto millis =
        std::chrono::duration_cast<std::chrono::milliseconds>(clock_().time_since_epoch());
    session = "mysfits-" + std::to_string(millis.count());
  }
  core::ClientRequest request;
  request.method = "POST";
  request.target = url->target;
  request.headers = {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"},
                     {"Accept", "text/xml"}};
  request.body = "Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=" +
                 uri_encode(role_arn_, false) + "&RoleSessionName=" + uri_encode(session, false) +
                 "&WebIdentityToken=" + uri_encode(trim_token(std::move(token.value())), false);
  client_->send(std::move(request), [this, done = std::move(done)](
                                        core::Result<core::ClientResponse> response) {
    if (!response.ok()) {
      done(core::Error{response.error().code,
                       "STS " + sts_url_ + " unreachable: " + response.error().message});
      return;
    }
    if (response->status != 200) {
      auto error = parse_sts_error(response->body);
      done(core::Error{core::Errc::kUnavailable,
                       "STS AssumeRoleWithWebIdentity for " + role_arn_ + " answered HTTP " +
                           std::to_string(response->status) + (error ? " " + *error : "")});
      return;
    }
    auto credentials = parse_assume_role_response(response->body);
    if (credentials.ok()) {
      credentials->source = name() + " (" + role_arn_ + ")";
    }
    done(std::move(credentials));
  });
}

}  // namespace mysfits::store::dynamodb::credentials
