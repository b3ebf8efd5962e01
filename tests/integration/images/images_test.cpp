// The images of deploy/docker/Dockerfile, built by the `images.build` fixture exactly as the EKS
// how-to builds them, run as their pods would run them: the numeric user, a read-only root
// filesystem with only the pod's emptyDirs writable, every capability dropped, the memory limit,
// and the environment of the like-adopt render (ConfigMap values resolved). The local run swaps
// what only a cluster has: loopback ports on the host network for the Services' ports, the
// DynamoDB emulator (dynalite behind tests/integration/dynamodb's proxy) for DynamoDB (seeded by
// the `mysfits` image), and the gateway's image for the ALB, given the
// stage's own Ingress file.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <regex>
#include <thread>

#include "deploy/manifest_set.hpp"
#include "dynamodb/dynalite.hpp"
#include "images/container.hpp"
#include "support/http_probe.hpp"

namespace mysfits::testing::images {
namespace {

using namespace std::chrono_literals;
using deploy::kAdopt;
using deploy::kLike;
using deploy::kNolike;

const std::vector<std::string> kExecutables = {"mysfits-monolith", "mysfits-like", "mysfits-adopt",
                                               "mysfits-gateway", "mysfits"};
constexpr long long kMaxImageBytes = 30'000'000;  // uncompressed, per image
const std::string kTable = "MysfitsTable";

const deploy::ManifestSet& like_adopt_render() {
  const auto& rendered = deploy::rendered_overlay("deploy/k8s/stages/like-adopt");
  if (!rendered.manifests)
    throw std::runtime_error(rendered.error);
  return *rendered.manifests;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    lines.push_back(line);
  return lines;
}

TEST(Images, EachIsTheExecutableItsLibrariesAndCertificatesOnly) {
  for (const auto& exe : kExecutables) {
    SCOPED_TRACE(exe);
    const auto image = image_name(exe);
    const auto inspect = podman({"image", "inspect", image});
    ASSERT_EQ(inspect.exit_code, 0) << inspect.output;
    const auto config = boost::json::parse(inspect.output).as_array().at(0).as_object();
    const auto size = config.at("Size").to_number<long long>();
    std::cout << "image " << image << ": " << size / 1e6 << " MB\n";
    EXPECT_LE(size, kMaxImageBytes);
    const auto& image_config = config.at("Config").as_object();
    EXPECT_EQ(image_config.at("User").as_string(), "10001:10001");
    EXPECT_EQ(boost::json::serialize(image_config.at("Entrypoint")),
              R"(["/usr/local/bin/service"])");

    const auto created = podman({"create", image});
    ASSERT_EQ(created.exit_code, 0) << created.output;
    const auto id = lines_of(created.output).back();
    const auto archive = temp_dir() + "/" + exe + ".tar";
    const auto exported = podman({"export", "--output", archive, id});
    podman({"rm", id});
    ASSERT_EQ(exported.exit_code, 0) << exported.output;
    const auto listing = deploy::run_command({"tar", "-tvf", archive});
    std::filesystem::remove(archive);
    ASSERT_EQ(listing.exit_code, 0) << listing.err;
    // Regular files only under these: the executable, the libraries with the loader, their
    // licences, the CA bundle and the few files of /etc that assemble-rootfs writes.
    static const std::regex allowed(
        R"(^(usr/local/bin/service|usr/lib(64)?/.+\.so[.0-9]*|usr/share/doc/[^/]+/copyright|)"
        R"(etc/(passwd|group|nsswitch\.conf|ssl/certs/ca-certificates\.crt))$)");
    int files = 0;
    for (const auto& line : lines_of(listing.out)) {
      if (line.empty() || line[0] != '-')
        continue;  // directories and links
      const auto path = line.substr(line.rfind(' ') + 1);
      const auto relative = path.rfind("./", 0) == 0 ? path.substr(2) : path;
      ++files;
      EXPECT_TRUE(std::regex_match(relative, allowed))
          << "unexpected file in the image: " << relative;
    }
    EXPECT_GT(files, 5);
    const auto shell = podman({"run", "--rm", "--runtime", "runc", "--ulimit", "nproc=64:64",
                               "--entrypoint", "/bin/sh", image, "-c", "true"});
    EXPECT_NE(shell.exit_code, 0) << "the image has a shell";
  }
}

// DynamoDB is HTTPS in production: the image's OpenSSL must find the CA bundle where
// assemble-rootfs put it. A TLS front (nginx, with a certificate made here for 127.0.0.1) stands
// before the DynamoDB emulator; mounting its CA over the image's bundle file makes the seed and the
// monolith succeed only if OpenSSL reads that file, and fail without it (verification is on).
class TlsFront {
 public:
  TlsFront(std::uint16_t backend_port)
      : port_(free_port()), dir_(temp_dir() + "/tls-" + std::to_string(port_)) {
    std::filesystem::create_directories(dir_);
    const auto made = deploy::run_command({"openssl", "req", "-x509", "-newkey", "rsa:2048",
                                           "-nodes", "-days", "1", "-subj", "/CN=mysfits test CA",
                                           "-addext", "subjectAltName=IP:127.0.0.1", "-keyout",
                                           dir_ + "/key.pem", "-out", ca_file()});
    EXPECT_EQ(made.exit_code, 0) << made.err;
    std::ofstream(dir_ + "/nginx.conf")
        << "pid " << dir_ << "/nginx.pid;\nerror_log stderr;\nevents {}\nhttp {\n"
        << "  access_log off;\n  client_body_temp_path " << dir_ << ";\n  proxy_temp_path " << dir_
        << ";\n  server {\n    listen 127.0.0.1:" << port_ << " ssl;\n"
        << "    ssl_certificate " << ca_file() << ";\n    ssl_certificate_key " << dir_
        << "/key.pem;\n"
        // The Host the client signed, as DynamoDB's own front keeps it.
        << "    location / {\n      proxy_set_header Host $http_host;\n"
        << "      proxy_pass http://127.0.0.1:" << backend_port << ";\n    }\n  }\n}\n";
    nginx_ = std::make_unique<Process>(
        "/usr/sbin/nginx",
        std::vector<std::string>{"-p", dir_, "-c", dir_ + "/nginx.conf", "-g", "daemon off;"});
  }
  // Listening: a plain HTTP request gets nginx's answer (400, not TLS) once it accepts.
  bool wait_listening() {
    const auto deadline = std::chrono::steady_clock::now() + 15s;
    while (!http(port_, "GET", "/").ok) {
      if (std::chrono::steady_clock::now() > deadline || !nginx_->running())
        return false;
      std::this_thread::sleep_for(20ms);  // polling a port, not a synchronisation
    }
    return true;
  }
  std::string url() const { return "https://127.0.0.1:" + std::to_string(port_); }
  std::string ca_file() const { return dir_ + "/ca.pem"; }
  Process& process() { return *nginx_; }

 private:
  std::uint16_t port_;
  std::string dir_;
  std::unique_ptr<Process> nginx_;
};

TEST(Images, TheirOpenSslTrustsTheCaBundleOverTls) {
  DynamoDbEmulator dynamodb;
  TlsFront front(dynamodb.port());
  ASSERT_TRUE(front.wait_listening()) << front.process().log();
  const auto aws = aws_test_environment(front.url());
  const auto& set = like_adopt_render();
  const auto seed = [&](bool with_ca) {
    ContainerOptions options{image_name("mysfits"),
                             deploy::pod_spec(set, kNolike),
                             aws,
                             {},
                             {"seed", "--table", kTable}};
    options.pod.env.clear();
    if (with_ca)
      options.read_only_mounts.push_back({front.ca_file(), "/etc/ssl/certs/ca-certificates.crt"});
    Container seeding(std::move(options));
    const auto code = seeding.process().wait(60s).value_or(-1);
    return std::pair{code, seeding.log()};
  };
  // Debian's bundle does not know this CA: the handshake must fail.
  const auto [refused, refused_log] = seed(false);
  EXPECT_NE(refused, 0) << refused_log;
  EXPECT_NE(refused_log.find("certificate verify failed"), std::string::npos) << refused_log;
  const auto [code, log] = seed(true);
  ASSERT_EQ(code, 0) << log << "\n" << front.process().log();

  const auto port = free_port();
  ContainerOptions monolith{image_name("mysfits-monolith"),
                            deploy::pod_spec(set, kNolike),
                            aws,
                            {{front.ca_file(), "/etc/ssl/certs/ca-certificates.crt"}},
                            {}};
  monolith.env_overrides["HOST"] = "127.0.0.1";
  monolith.env_overrides["PORT"] = std::to_string(port);
  monolith.env_overrides["ADMIN_PORT"] = "0";
  Container running(std::move(monolith));
  ASSERT_TRUE(wait_ready(port, "/readyz", 60s, &running.process())) << running.log();
  const auto list = http(port, "GET", "/mysfits");
  EXPECT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(boost::json::parse(list.body).at("mysfits").as_array().size(), 12u);
}

// The like-adopt stage from images: the DynamoDB emulator stands in for the table, every other
// process is a container of ours.
class StageFromImages : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { stage_ = new Stage(); }
  static void TearDownTestSuite() {
    delete stage_;
    stage_ = nullptr;
  }

  struct Service {
    std::uint16_t port = free_port();
    std::uint16_t admin_port = free_port();
    std::unique_ptr<Container> container;
  };

  struct Stage {
    DynamoDbEmulator dynamodb;
    Service monolith, like, adopt, gateway;
    std::string seed_output;
    int seed_exit = -1;

    Stage() {
      const auto& set = like_adopt_render();
      const auto aws = aws_test_environment(dynamodb.url());
      // The seed's load-ddb step, from the CLI image (how a participant without a Debian build
      // seeds the table: docs/deploy-eks.md).
      {
        ContainerOptions seed{image_name("mysfits"),
                              deploy::pod_spec(set, kNolike),
                              aws,
                              {},
                              {"seed", "--table", kTable}};
        seed.pod.env.clear();
        Container seeding(std::move(seed));
        seed_exit = seeding.process().wait(60s).value_or(-1);
        seed_output = seeding.log();
      }
      start(monolith, "mysfits-monolith", deploy::pod_spec(set, kNolike), aws);
      const std::map<std::string, std::string> to_monolith = {
          {"MONOLITH_URL", "http://127.0.0.1:" + std::to_string(monolith.port)}};
      start(like, "mysfits-like", deploy::pod_spec(set, kLike), to_monolith);
      start(adopt, "mysfits-adopt", deploy::pod_spec(set, kAdopt), to_monolith);
      // The ALB has no pod; its stand-in runs under the monolith pod's security settings.
      auto gateway_pod = deploy::pod_spec(set, kNolike);
      gateway_pod.env.clear();
      const auto upstream = [](const std::string& service, const Service& s) {
        return "--upstream=" + service + ":80=127.0.0.1:" + std::to_string(s.port);
      };
      start(
          gateway, "mysfits-gateway", gateway_pod, {},
          {{source_path("deploy/k8s/stages/like-adopt/ingress.yaml"), "/etc/mysfits/ingress.yaml"}},
          {"--ingress=/etc/mysfits/ingress.yaml", upstream(kNolike, monolith),
           upstream(kLike, like), upstream(kAdopt, adopt), "--health-check-speedup=10"});
    }

    void start(Service& service, const std::string& exe, deploy::PodSpec pod,
               std::map<std::string, std::string> overrides,
               std::vector<std::pair<std::string, std::string>> mounts = {},
               std::vector<std::string> args = {}) {
      EXPECT_TRUE(pod.errors.empty()) << ::testing::PrintToString(pod.errors);
      overrides["HOST"] = "127.0.0.1";  // host network: loopback only
      overrides["PORT"] = std::to_string(service.port);
      overrides["ADMIN_PORT"] = std::to_string(service.admin_port);
      service.container = std::make_unique<Container>(
          ContainerOptions{image_name(exe), std::move(pod), std::move(overrides), std::move(mounts),
                           std::move(args)});
    }
  };

  static inline Stage* stage_ = nullptr;
};

TEST_F(StageFromImages, TheCliImageSeedsTheTable) {
  EXPECT_EQ(stage_->seed_exit, 0) << stage_->seed_output;
}

TEST_F(StageFromImages, EveryServiceImageAnswersItsProbesAsItsPodWould) {
  const auto& set = like_adopt_render();
  for (auto [deployment, service] :
       {std::pair{kNolike, &stage_->monolith}, std::pair{kLike, &stage_->like},
        std::pair{kAdopt, &stage_->adopt}}) {
    SCOPED_TRACE(deployment);
    const auto container =
        set.find("Deployment", deployment)["spec"]["template"]["spec"]["containers"][0];
    const auto readiness = deploy::str(container["readinessProbe"]["httpGet"]["path"]);
    ASSERT_TRUE(wait_ready(service->port, readiness, 60s, &service->container->process()))
        << service->container->log();
    EXPECT_EQ(http(service->port, "GET", deploy::str(container["livenessProbe"]["httpGet"]["path"]))
                  .status,
              200);
    EXPECT_EQ(http(service->admin_port, "GET", "/metrics").status, 200);
    EXPECT_NE(http(service->port, "GET", "/metrics").status, 200);
  }
}

TEST_F(StageFromImages, ALikeAnAdoptionAndAListGoThroughTheGatewayImage) {
  auto& gateway = stage_->gateway;
  ASSERT_TRUE(wait_ready(gateway.port, "/mysfits", 60s, &gateway.container->process()))
      << gateway.container->log();
  const auto list = http(gateway.port, "GET", "/mysfits");
  ASSERT_EQ(list.status, 200) << list.body;
  const auto mysfits = boost::json::parse(list.body).at("mysfits").as_array();
  ASSERT_EQ(mysfits.size(), 12u);
  const std::string id(mysfits.at(0).at("mysfitId").as_string());
  const auto before = boost::json::parse(http(gateway.port, "GET", "/mysfits/" + id).body);

  // The like service's answer: the monolith's fulfill-like, relayed.
  const auto like = http(gateway.port, "POST", "/mysfits/" + id + "/like");
  ASSERT_EQ(like.status, 200) << like.body;
  EXPECT_EQ(boost::json::parse(like.body).at("likes").to_number<long long>(),
            before.at("likes").to_number<long long>() + 1);

  const auto adopt = http(gateway.port, "POST", "/mysfits/" + id + "/adopt");
  EXPECT_EQ(adopt.status, 200) << adopt.body;
  EXPECT_EQ(http(gateway.port, "POST", "/mysfits/" + id + "/adopt").status, 409);
  EXPECT_EQ(http(gateway.port, "POST", "/mysfits/" + id + "/fulfill-like").status, 404);

  const auto after = boost::json::parse(http(gateway.port, "GET", "/mysfits/" + id).body);
  EXPECT_EQ(after.at("adopted"), boost::json::value(true));
}

// What docs/deploy-eks.md tells a participant to look for in the pods' logs, at the default
// level: the business step in the split service, the persistence call in the monolith.
TEST_F(StageFromImages, TheLogsShowEachSplitStepAtInfo) {
  auto& gateway = stage_->gateway;
  ASSERT_TRUE(wait_ready(gateway.port, "/mysfits", 60s, &gateway.container->process()));
  const auto list = boost::json::parse(http(gateway.port, "GET", "/mysfits").body);
  const std::string id(list.at("mysfits").as_array().at(1).at("mysfitId").as_string());
  ASSERT_EQ(http(gateway.port, "POST", "/mysfits/" + id + "/like").status, 200);
  ASSERT_EQ(http(gateway.port, "POST", "/mysfits/" + id + "/adopt").status, 200);
  // The container's output reaches its log through podman's conmon, a moment after the answer:
  // poll for the line with a deadline.
  const auto mentions = [](Container& container, const std::string& event,
                           const std::string& mysfit) {
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    do {
      for (const auto& line : lines_of(container.log())) {
        if (line.find(event) != std::string::npos && line.find(mysfit) != std::string::npos &&
            line.find(R"("level":"info")") != std::string::npos)
          return true;
      }
      std::this_thread::sleep_for(20ms);  // polling a file, not a synchronisation
    } while (std::chrono::steady_clock::now() < deadline);
    return false;
  };
  EXPECT_TRUE(mentions(*stage_->like.container, "like processed", id))
      << stage_->like.container->log();
  EXPECT_TRUE(mentions(*stage_->adopt.container, "adopt processed", id))
      << stage_->adopt.container->log();
  EXPECT_TRUE(mentions(*stage_->monolith.container, "fulfill-like", id))
      << stage_->monolith.container->log();
  EXPECT_TRUE(mentions(*stage_->monolith.container, "fulfill-adopt", id))
      << stage_->monolith.container->log();
}

// Last (gtest runs a suite in the order written): stopping is what the kubelet does at the end of a
// pod's life (SIGTERM, then SIGKILL after the grace period). Each must drain and exit 0 well within
// it.
TEST_F(StageFromImages, EveryContainerExitsCleanlyOnSigterm) {
  for (auto [name, service] :
       {std::pair{"gateway", &stage_->gateway}, std::pair{"adopt", &stage_->adopt},
        std::pair{"like", &stage_->like}, std::pair{"monolith", &stage_->monolith}}) {
    EXPECT_EQ(service->container->stop(30s), std::optional<int>(0)) << name << "\n"
                                                                    << service->container->log();
  }
}

}  // namespace
}  // namespace mysfits::testing::images
