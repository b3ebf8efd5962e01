// Bad input at a public edge of the running system: path tricks, methods nobody serves,
// oversized parts and a thousand idle connections. Each gets a clear 4xx or a closed
// connection, no data changes, and the process keeps serving everyone else.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <memory>

#include "chaos/traffic.hpp"
#include "integration/chaos/system_under_test.hpp"
#include "support/http_probe.hpp"

namespace mysfits::testing {
namespace {

constexpr const char* kEvangeline = "4e53920c-505a-4a90-a694-b9300791f0ae";

class EdgeTest : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    system_ = start_system(GetParam());
    ASSERT_TRUE(system_) << "could not start " << GetParam();
    before_ = chaos::snapshot("127.0.0.1", system_->data_port());
  }
  void TearDown() override {
    if (!system_)
      return;
    EXPECT_TRUE(system_->alive()) << GetParam() << " died";
    auto after = chaos::snapshot("127.0.0.1", system_->data_port());
    for (const auto& [id, was] : before_) {
      EXPECT_EQ(after[id].likes, was.likes) << id << " changed by bad input";
      EXPECT_EQ(after[id].adopted, was.adopted) << id << " changed by bad input";
    }
  }
  std::uint16_t port() const { return system_->port(); }
  int status(const std::string& method, const std::string& target) {
    return status_of(raw_exchange(port(), method + " " + target +
                                              " HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n"
                                              "Connection: close\r\n\r\n"));
  }

  std::unique_ptr<SystemUnderTest> system_;
  chaos::Snapshot before_;
};

TEST_P(EdgeTest, PathTricksNeverReachAWrite) {
  const std::string id = kEvangeline;
  const std::vector<std::string> targets = {
      "/mysfits/../mysfits/" + id + "/like",
      "/mysfits/" + id + "/../" + id + "/like",
      "/mysfits/%2e%2e/mysfits/" + id + "/like",
      "/mysfits/" + id + "/%2e%2e/like",
      "/mysfits/" + id + "%2flike",
      "/mysfits/" + id + "/like%00",
      "/mysfits/" + id + "%0d%0aX-Injected:%201/like",
      "//mysfits/" + id + "/fulfill-like",
      "/mysfits/" + id + "/like/",
      "/mysfits/" + id + "/LIKE",
      "/mysfits/" + id + "/like?" + std::string(20'000, 'a'),
      "/" + std::string(20'000, 'a'),
  };
  for (const auto& target : targets) {
    int s = status("POST", target);
    EXPECT_TRUE(s >= 400 && s < 500) << target.substr(0, 80) << " -> " << s;
  }
}

TEST_P(EdgeTest, MethodsNobodyServesAreRefused) {
  for (const char* method : {"TRACE", "CONNECT", "PATCH", "DELETE", "PUT", "BREW"}) {
    int s = status(method, std::string("/mysfits/") + kEvangeline + "/like");
    EXPECT_TRUE(s >= 400 && s < 500) << method << " -> " << s;
  }
}

TEST_P(EdgeTest, HeaderInjectionAndOversizedPartsAreRefused) {
  const std::string like = std::string("/mysfits/") + kEvangeline + "/like";
  const std::vector<std::string> requests = {
      "POST " + like + " HTTP/1.1\r\nHost: x\r\nX-A: " + std::string(17'000, 'a') + "\r\n\r\n",
      "POST " + like + " HTTP/1.1\r\nHost: x\r\nContent-Length: 2000000\r\n\r\n",
      "POST " + like + " HTTP/1.1\r\nHost: x\r\nX-A: a\rX-B: b\r\nContent-Length: 0\r\n\r\n",
      "POST " + like + "\r\nX-A: b HTTP/1.1\r\nHost: x\r\n\r\n",
      "POST " + like + " HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n Transfer-Encoding: x\r\n\r\n",
      "POST " + like + " HTTP/9.9\r\nHost: x\r\nContent-Length: 0\r\n\r\n",
      std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11) + std::string(200, '\x00'),
  };
  for (const auto& r : requests) {
    std::string answer = raw_exchange(port(), r, std::chrono::seconds(5));
    int s = status_of(answer);
    EXPECT_TRUE((s >= 400 && s < 500) || answer.empty()) << r.substr(0, 60) << " -> " << answer;
  }
}

// Opens n connections that never send a byte, without the test's own descriptor limit in the way.
std::vector<int> open_idle_connections(std::uint16_t port, int n) {
  rlimit limit{};
  getrlimit(RLIMIT_NOFILE, &limit);
  limit.rlim_cur = limit.rlim_max;
  setrlimit(RLIMIT_NOFILE, &limit);
  std::vector<int> fds;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  for (int i = 0; i < n; ++i) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
      break;
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      ::close(fd);
      break;
    }
    fds.push_back(fd);
  }
  return fds;
}

TEST_P(EdgeTest, AThousandIdleConnectionsDoNotStopOthersBeingServed) {
  auto fds = open_idle_connections(port(), 1000);
  EXPECT_EQ(fds.size(), 1000u);
  // Half of them start a request and stop mid-way, as a slowloris client does.
  for (std::size_t i = 0; i < fds.size(); i += 2) {
    static constexpr char kHalf[] = "GET /mysfits HTTP/1.1\r\nHost: x\r\nX-Slow: ";
    [[maybe_unused]] auto n = ::write(fds[i], kHalf, sizeof kHalf - 1);
  }
  for (int i = 0; i < 20; ++i) {
    auto r = http(port(), "GET", "/");
    ASSERT_TRUE(r.ok) << r.error;
    EXPECT_EQ(r.status, 200);
  }
  for (int fd : fds)
    ::close(fd);
}

INSTANTIATE_TEST_SUITE_P(PublicEdges, EdgeTest, ::testing::ValuesIn(public_edges()),
                         [](const auto& edge) { return std::string(edge.param); });

}  // namespace
}  // namespace mysfits::testing

namespace mysfits::testing {
namespace {

// The persistence-only routes exist on the monolith for the like and adopt services; from
// outside, every spelling of them ends at the ALB's fixed 404 and changes nothing.
TEST(GatewayEdge, PersistenceOnlyRoutesAreUnreachableFromOutside) {
  auto system = start_system("gateway");
  ASSERT_TRUE(system);
  auto before = chaos::snapshot("127.0.0.1", system->data_port());
  const std::string id = kEvangeline;
  for (const std::string& target :
       {"/mysfits/" + id + "/fulfill-like", "/mysfits/" + id + "/fulfill-adopt",
        "/mysfits/" + id + "/fulfill-like?x=1", "/mysfits/" + id + "/fulfill-like/"}) {
    auto r = http(system->port(), "POST", target);
    EXPECT_TRUE(r.status >= 400 && r.status < 500) << target << " -> " << r.status;
  }
  auto r = http(system->port(), "POST", "/mysfits/" + id + "/fulfill-like");
  EXPECT_EQ(r.status, 404);
  auto after = chaos::snapshot("127.0.0.1", system->data_port());
  EXPECT_EQ(after[id].likes, before[id].likes);
  EXPECT_EQ(after[id].adopted, before[id].adopted);
  // And they still work where they are meant to: from inside, on the monolith itself.
  EXPECT_EQ(http(system->data_port(), "POST", "/mysfits/" + id + "/fulfill-like").status, 200);
}

}  // namespace
}  // namespace mysfits::testing
