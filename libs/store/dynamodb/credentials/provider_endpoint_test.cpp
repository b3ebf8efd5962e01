// Each network credential provider against a local fake of its endpoint (a real HttpServer on
// a loopback port): STS AssumeRoleWithWebIdentity (XML), container credentials (JSON with an
// authorization token), IMDSv2 (token first, then role, then credentials). The chain on top
// refreshes such credentials before they expire.
#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>

#include "core/http_server.hpp"
#include "core/io_context.hpp"
#include "store/dynamodb/credentials/chain.hpp"
#include "store/dynamodb/credentials/container_provider.hpp"
#include "store/dynamodb/credentials/imds_provider.hpp"
#include "store/dynamodb/credentials/web_identity_provider.hpp"

namespace mysfits::store::dynamodb::credentials {
namespace {

using namespace std::chrono_literals;
using std::chrono::system_clock;

// A fake AWS endpoint: routes answered by the test, each request recorded.
class FakeEndpoint {
 public:
  explicit FakeEndpoint(core::Router router) : router_(std::move(router)) {
    core::ServerOptions options;
    options.threads = 1;
    options.drain_timeout = 1s;
    server_ = std::make_unique<core::HttpServer>(options);
    port_ = server_->listen("127.0.0.1", 0, router_);
    thread_ = std::thread([this] { server_->run(); });
  }
  ~FakeEndpoint() {
    server_->shutdown();
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  core::Router router_;
  std::unique_ptr<core::HttpServer> server_;
  std::uint16_t port_ = 0;
  std::thread thread_;
};

std::string write_file(const std::string& name, const std::string& content) {
  auto path = std::filesystem::temp_directory_path() /
              (name + "-" + std::to_string(::getpid()) + "-" +
               std::to_string(system_clock::now().time_since_epoch().count()));
  std::ofstream(path) << content;
  return path.string();
}

// Runs provider.load() on this thread's own io_context until it completes.
core::Result<Credentials> load_now(Provider& provider) {
  boost::asio::io_context io;
  core::IoScope scope(io);
  auto guard = boost::asio::make_work_guard(io);
  std::optional<core::Result<Credentials>> out;
  provider.load([&](core::Result<Credentials> r) { out = std::move(r); });
  auto deadline = std::chrono::steady_clock::now() + 10s;
  while (!out && std::chrono::steady_clock::now() < deadline)
    io.run_one_for(100ms);
  return out ? std::move(*out) : core::Result<Credentials>(core::Error{core::Errc::kTimeout, ""});
}

std::string sts_answer(const std::string& key, const std::string& expiration) {
  return "<AssumeRoleWithWebIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
         "<AssumeRoleWithWebIdentityResult><Credentials>"
         "<AccessKeyId>" +
         key +
         "</AccessKeyId><SecretAccessKey>secret/&amp;key</SecretAccessKey>"
         "<SessionToken>session-token</SessionToken><Expiration>" +
         expiration +
         "</Expiration></Credentials></AssumeRoleWithWebIdentityResult>"
         "</AssumeRoleWithWebIdentityResponse>";
}

TEST(WebIdentityProvider, ExchangesTheTokenFileAtSts) {
  std::mutex mutex;
  std::string seen_body;
  core::Router router;
  router.post("/", [&](const core::Request& r) {
    std::lock_guard lock(mutex);
    seen_body = std::string(r.body());
    core::Response response;
    response.content_type = "text/xml";
    response.body = sts_answer("ASIASTS", "2030-01-02T03:04:05Z");
    return response;
  });
  FakeEndpoint sts(std::move(router));
  std::string token_file = write_file("irsa-token", "eyJ.token.sig\n");
  WebIdentityProvider provider(fixed_environment({{"AWS_ROLE_ARN", "arn:aws:iam::123:role/r"},
                                                  {"AWS_WEB_IDENTITY_TOKEN_FILE", token_file},
                                                  {"AWS_ENDPOINT_URL_STS", sts.url()}}));
  auto credentials = load_now(provider);
  ASSERT_TRUE(credentials.ok()) << credentials.error().message;
  EXPECT_EQ(credentials->access_key_id, "ASIASTS");
  EXPECT_EQ(credentials->secret_access_key, "secret/&key");
  EXPECT_EQ(credentials->session_token, "session-token");
  ASSERT_TRUE(credentials->expiration);
  EXPECT_EQ(system_clock::to_time_t(*credentials->expiration), 1893553445);
  std::lock_guard lock(mutex);
  EXPECT_NE(seen_body.find("Action=AssumeRoleWithWebIdentity"), std::string::npos);
  EXPECT_NE(seen_body.find("RoleArn=arn%3Aaws%3Aiam%3A%3A123%3Arole%2Fr"), std::string::npos);
  EXPECT_TRUE(seen_body.ends_with("&WebIdentityToken=eyJ.token.sig"))
      << "token trimmed and sent: " << seen_body;
}

TEST(WebIdentityProvider, ReportsTheStsError) {
  core::Router router;
  router.post("/", [](const core::Request&) {
    core::Response response;
    response.status = 403;
    response.content_type = "text/xml";
    response.body =
        "<ErrorResponse><Error><Code>AccessDenied</Code><Message>Not authorized</Message>"
        "</Error></ErrorResponse>";
    return response;
  });
  FakeEndpoint sts(std::move(router));
  WebIdentityProvider provider(
      fixed_environment({{"AWS_ROLE_ARN", "arn:aws:iam::123:role/r"},
                         {"AWS_WEB_IDENTITY_TOKEN_FILE", write_file("irsa-token", "t")},
                         {"AWS_ENDPOINT_URL_STS", sts.url()}}));
  auto credentials = load_now(provider);
  ASSERT_FALSE(credentials.ok());
  EXPECT_NE(credentials.error().message.find("AccessDenied: Not authorized"), std::string::npos)
      << credentials.error().message;
}

// The container endpoint of EKS Pod Identity: a full URI and a token file, re-read each load.
struct ContainerEndpoint {
  std::atomic<int> requests{0};
  std::mutex mutex;
  std::string expiration = "2030-01-01T00:00:00Z";  // guarded by mutex
  std::string last_authorization;
  std::unique_ptr<FakeEndpoint> endpoint;

  ContainerEndpoint() {
    core::Router router;
    router.get("/v1/credentials", [this](const core::Request& r) {
      int n = ++requests;
      std::lock_guard lock(mutex);
      last_authorization = std::string(r.header("Authorization"));
      if (last_authorization != "pod-token")
        return core::Response::json(401, R"({"Code":"Unauthorized","Message":"bad token"})");
      return core::Response::json(200, R"({"AccessKeyId":"ASIAPOD)" + std::to_string(n) +
                                           R"(","SecretAccessKey":"s","Token":"t","Expiration":")" +
                                           expiration + "\"}");
    });
    endpoint = std::make_unique<FakeEndpoint>(std::move(router));
  }
  Environment environment(const std::string& token_file) const {
    return fixed_environment(
        {{"AWS_CONTAINER_CREDENTIALS_FULL_URI", endpoint->url() + "/v1/credentials"},
         {"AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", token_file}});
  }
};

TEST(ContainerProvider, SendsTheAuthorizationTokenAndReadsTheDocument) {
  ContainerEndpoint fake;
  ContainerProvider provider(fake.environment(write_file("pod-token", "pod-token\n")));
  auto credentials = load_now(provider);
  ASSERT_TRUE(credentials.ok()) << credentials.error().message;
  EXPECT_EQ(credentials->access_key_id, "ASIAPOD1");
  EXPECT_EQ(credentials->session_token, "t");
  ASSERT_TRUE(credentials->expiration);
}

TEST(ContainerProvider, AWrongTokenIsAnErrorNamingTheEndpoint) {
  ContainerEndpoint fake;
  ContainerProvider provider(fake.environment(write_file("pod-token", "stale")));
  auto credentials = load_now(provider);
  ASSERT_FALSE(credentials.ok());
  EXPECT_NE(credentials.error().message.find("401"), std::string::npos)
      << credentials.error().message;
  EXPECT_NE(credentials.error().message.find("/v1/credentials"), std::string::npos);
}

TEST(ContainerProvider, RefusesPlainHttpToARemoteHost) {
  ContainerProvider provider(
      fixed_environment({{"AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://192.0.2.1/creds"}}));
  EXPECT_FALSE(load_now(provider).ok());
}

// IMDSv2: a session token from PUT, then the role name, then its credentials, each GET
// carrying the token; a GET without it is refused, as the real service does.
struct ImdsEndpoint {
  std::atomic<int> token_requests{0};
  std::unique_ptr<FakeEndpoint> endpoint;

  ImdsEndpoint() {
    core::Router router;
    router.add("PUT", "/latest/api/token",
               [this](const core::Request& r) {
                 ++token_requests;
                 if (r.header("X-aws-ec2-metadata-token-ttl-seconds").empty())
                   return core::Response::error(400, "bad_request", "no ttl");
                 core::Response response;
                 response.content_type = "text/plain";
                 response.body = "imds-session";
                 return response;
               },
               {});
    auto guarded = [](std::string body) {
      return [body](const core::Request& r) {
        if (r.header("X-aws-ec2-metadata-token") != "imds-session")
          return core::Response::error(401, "unauthorized", "no token");
        core::Response response;
        response.content_type = "text/plain";
        response.body = body;
        return response;
      };
    };
    router.get("/latest/meta-data/iam/security-credentials/", guarded("node-role\n"));
    router.get("/latest/meta-data/iam/security-credentials/node-role",
               guarded(R"({"Code":"Success","AccessKeyId":"ASIANODE","SecretAccessKey":"s",)"
                       R"("Token":"t","Expiration":"2030-01-01T00:00:00Z"})"));
    endpoint = std::make_unique<FakeEndpoint>(std::move(router));
  }
};

TEST(ImdsProvider, GetsATokenThenTheRoleThenItsCredentials) {
  ImdsEndpoint fake;
  ImdsProvider provider(
      fixed_environment({{"AWS_EC2_METADATA_SERVICE_ENDPOINT", fake.endpoint->url()}}));
  auto credentials = load_now(provider);
  ASSERT_TRUE(credentials.ok()) << credentials.error().message;
  EXPECT_EQ(credentials->access_key_id, "ASIANODE");
  EXPECT_EQ(fake.token_requests, 1);
}

TEST(ImdsProvider, IsOffWhenDisabled) {
  ImdsProvider provider(fixed_environment({{"AWS_EC2_METADATA_DISABLED", "TRUE"}}));
  EXPECT_TRUE(provider.not_configured().has_value());
}

// The chain over a real endpoint: credentials that expire within the prefetch window are
// refreshed once, in the background, and the next caller gets the new ones.
TEST(ChainOverContainerEndpoint, RefreshesBeforeExpiry) {
  ContainerEndpoint fake;
  auto now = std::make_shared<std::atomic<std::int64_t>>(1'900'000'000);
  Clock clock = [now] { return system_clock::from_time_t(now->load()); };
  {
    std::lock_guard lock(fake.mutex);
    fake.expiration = "2030-03-17T18:46:40Z";  // 1'900'000'000 + 3600 s
  }
  std::vector<std::unique_ptr<Provider>> providers;
  providers.push_back(
      std::make_unique<ContainerProvider>(fake.environment(write_file("pod-token", "pod-token"))));
  Chain chain(std::move(providers), clock);

  boost::asio::io_context io;
  core::IoScope scope(io);
  auto get = [&]() {
    std::optional<core::Result<Credentials>> out;
    io.restart();
    auto guard = boost::asio::make_work_guard(io);
    chain.get([&](core::Result<Credentials> r) { out = std::move(r); });
    auto deadline = std::chrono::steady_clock::now() + 10s;
    while (!out && std::chrono::steady_clock::now() < deadline)
      io.run_one_for(100ms);
    return out ? std::move(*out) : core::Result<Credentials>(core::Error{});
  };
  auto first = get();
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(first->access_key_id, "ASIAPOD1");
  EXPECT_EQ(get()->access_key_id, "ASIAPOD1");
  EXPECT_EQ(fake.requests, 1) << "fresh credentials are served from the cache";

  // The next answer of the endpoint lasts an hour longer.
  {
    std::lock_guard lock(fake.mutex);
    fake.expiration = "2030-03-17T19:46:40Z";
  }
  // 4 minutes before expiry: inside the prefetch window, outside the stale one.
  now->store(1'900'000'000 + 3600 - 240);
  EXPECT_EQ(get()->access_key_id, "ASIAPOD1") << "callers keep the current keys meanwhile";
  auto deadline = std::chrono::steady_clock::now() + 10s;
  core::Result<Credentials> latest = get();
  while (latest.ok() && latest->access_key_id == "ASIAPOD1" &&
         std::chrono::steady_clock::now() < deadline) {
    io.run_one_for(50ms);
    latest = get();
  }
  ASSERT_TRUE(latest.ok()) << latest.error().message;
  EXPECT_EQ(latest->access_key_id, "ASIAPOD2");
  EXPECT_EQ(fake.requests, 2) << "exactly one background refresh";

  // Past the new expiry: the caller waits for new keys instead of signing with dead ones.
  now->store(1'900'000'000 + 3 * 3600);
  latest = get();
  ASSERT_TRUE(latest.ok()) << latest.error().message;
  EXPECT_EQ(latest->access_key_id, "ASIAPOD3");
}

}  // namespace
}  // namespace mysfits::store::dynamodb::credentials
