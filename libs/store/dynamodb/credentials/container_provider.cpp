#include "store/dynamodb/credentials/container_provider.hpp"

#include "store/dynamodb/credentials/credentials_document.hpp"

namespace mysfits::store::dynamodb::credentials {
namespace {

constexpr const char* kEcsAgent = "http://169.254.170.2";

std::string trim(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) {
    text.pop_back();
  }
  return text;
}

}  // namespace

bool is_allowed_plain_http_host(const std::string& host) {
  return host == "localhost" || host == "::1" || host == "[::1]" || host.rfind("127.", 0) == 0 ||
         host == "169.254.170.2" || host == "169.254.170.23" || host == "fd00:ec2::23" ||
         host == "[fd00:ec2::23]";
}

ContainerProvider::ContainerProvider(Environment env)
    : token_file_(env("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE").value_or("")),
      token_(env("AWS_CONTAINER_AUTHORIZATION_TOKEN").value_or("")) {
  if (auto relative = env("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")) {
    url_text_ = kEcsAgent + *relative;
  } else if (auto full = env("AWS_CONTAINER_CREDENTIALS_FULL_URI")) {
    url_text_ = *full;
  }
}

ContainerProvider::~ContainerProvider() = default;

std::optional<std::string> ContainerProvider::not_configured() const {
  if (url_text_.empty()) {
    return "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI not set";
  }
  return std::nullopt;
}

void ContainerProvider::load(CredentialsCallback done) {
  auto url = parse_url(url_text_);
  if (!url.ok()) {
    done(
        core::Error{core::Errc::kUnavailable, "container credentials URI: " + url.error().message});
    return;
  }
  if (!url->endpoint.tls() && !is_allowed_plain_http_host(url->endpoint.host)) {
    done(core::Error{core::Errc::kUnavailable,
                     "container credentials URI " + url_text_ +
                         " uses plain HTTP to a host that is neither loopback nor the ECS/EKS "
                         "agent"});
    return;
  }
  std::string token = token_;
  if (!token_file_.empty()) {
    auto text = read_text_file(token_file_);
    if (!text.ok()) {
      done(core::Error{core::Errc::kUnavailable,
                       "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: " + text.error().message});
      return;
    }
    token = trim(std::move(text.value()));
  }
  if (!client_) {
    core::ClientOptions options;
    options.connect_timeout = std::chrono::seconds(1);
    options.request_timeout = std::chrono::seconds(2);
    client_ = std::make_unique<core::HttpClient>(url->endpoint, options);
  }
  core::ClientRequest request;
  request.method = "GET";
  request.target = url->target;
  request.headers = {{"Accept", "application/json"}};
  if (!token.empty()) {
    request.headers.emplace_back("Authorization", token);
  }
  fetch(*client_, std::move(request), "container credentials " + url_text_,
        [this, done = std::move(done)](core::Result<std::string> body) {
          if (!body.ok()) {
            done(body.error());
            return;
          }
          auto credentials = parse_credentials_document(body.value());
          if (credentials.ok()) {
            credentials->source = name();
          } else {
            credentials = core::Error{credentials.error().code,
                                      url_text_ + ": " + credentials.error().message};
          }
          done(std::move(credentials));
        });
}

}  // namespace mysfits::store::dynamodb::credentials
