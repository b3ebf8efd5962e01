#include "store/dynamodb/credentials/imds_provider.hpp"

#include <algorithm>
#include <cctype>

#include "store/dynamodb/credentials/credentials_document.hpp"
#include "store/dynamodb/credentials/http_fetch.hpp"

namespace mysfits::store::dynamodb::credentials {
namespace {

constexpr const char* kRolesPath = "/latest/meta-data/iam/security-credentials/";

std::string first_line(std::string_view text) {
  std::size_t end = text.find_first_of("\r\n");
  std::string line(text.substr(0, end));
  while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back()))) {
    line.pop_back();
  }
  return line;
}

bool is_true(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text == "true";
}

}  // namespace

ImdsProvider::ImdsProvider(Environment env)
    : disabled_(is_true(env("AWS_EC2_METADATA_DISABLED").value_or(""))),
      endpoint_text_(env("AWS_EC2_METADATA_SERVICE_ENDPOINT").value_or("http://169.254.169.254")) {}

ImdsProvider::~ImdsProvider() = default;

std::optional<std::string> ImdsProvider::not_configured() const {
  if (disabled_) {
    return "disabled by AWS_EC2_METADATA_DISABLED";
  }
  return std::nullopt;
}

void ImdsProvider::get(std::string target, std::string token, std::string what,
                       std::function<void(core::Result<std::string>)> done) {
  core::ClientRequest request;
  request.method = "GET";
  request.target = std::move(target);
  request.headers = {{"X-aws-ec2-metadata-token", std::move(token)}};
  fetch(*client_, std::move(request), std::move(what), std::move(done));
}

void ImdsProvider::load(CredentialsCallback done) {
  if (!client_) {
    auto url = parse_url(endpoint_text_);
    if (!url.ok()) {
      done(core::Error{core::Errc::kUnavailable,
                       "AWS_EC2_METADATA_SERVICE_ENDPOINT: " + url.error().message});
      return;
    }
    core::ClientOptions options;
    options.connect_timeout = std::chrono::seconds(1);
    options.request_timeout = std::chrono::seconds(1);
    options.max_connect_retries = 0;
    client_ = std::make_unique<core::HttpClient>(url->endpoint, options);
  }
  core::ClientRequest token_request;
  token_request.method = "PUT";
  token_request.target = "/latest/api/token";
  token_request.headers = {{"X-aws-ec2-metadata-token-ttl-seconds", "21600"}};
  std::string base = client_->endpoint().to_string();
  fetch(*client_, std::move(token_request), "IMDSv2 token from " + base,
        [this, base, done = std::move(done)](core::Result<std::string> token) mutable {
          if (!token.ok()) {
            done(token.error());
            return;
          }
          std::string session = first_line(token.value());
          get(kRolesPath, session, "IMDSv2 role name from " + base,
              [this, base, session, done = std::move(done)](core::Result<std::string> roles) {
                std::string role = roles.ok() ? first_line(roles.value()) : "";
                if (!roles.ok() || role.empty()) {
                  done(roles.ok() ? core::Error{core::Errc::kUnavailable,
                                                "IMDSv2: the instance has no IAM role"}
                                  : roles.error());
                  return;
                }
                get(kRolesPath + role, session, "IMDSv2 credentials of role " + role,
                    [this, done = std::move(done)](core::Result<std::string> body) {
                      if (!body.ok()) {
                        done(body.error());
                        return;
                      }
                      auto credentials = parse_credentials_document(body.value());
                      if (credentials.ok()) {
                        credentials->source = name();
                      }
                      done(std::move(credentials));
                    });
              });
        });
}

}  // namespace mysfits::store::dynamodb::credentials
