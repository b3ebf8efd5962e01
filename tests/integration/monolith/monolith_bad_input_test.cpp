// The bad-input table: every case gets its 4xx with a JSON error body, changes nothing, and
// the server keeps serving everyone else.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "integration/monolith/monolith_server.hpp"
#include "integration/monolith/raw_connection.hpp"
#include "store/mysfit.hpp"

namespace mysfits::testing {
namespace {

const std::vector<std::string> kErrorKeys = {"error", "message"};

struct BadRequest {
  std::string name;
  std::string method;
  std::string target;
  int status;
  std::string allow;  // expected Allow header for 405s
};

std::string known_id() {
  return store::catalog().front().id;
}

// Raw bytes on the wire that no well-formed client would send.
struct BadBytes {
  std::string name;
  std::string bytes;
  int status;
};

class MonolithBadInput : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(server_.start()) << server_.log();
    before_ = server_.snapshot();
  }
  void TearDown() override {
    EXPECT_EQ(server_.snapshot(), before_) << "a rejected request changed data";
    EXPECT_EQ(server_.get("/mysfits").status, 200) << "the server stopped serving";
    if (HasFailure())
      std::cerr << "--- monolith log ---\n" << server_.log();
  }

  static void expect_error_body(const HttpResult& r, const std::string& what) {
    EXPECT_EQ(r.header("content-type"), "application/json") << what;
    EXPECT_EQ(keys_of(parse_json(r.body)), kErrorKeys) << what << ": " << r.body;
    EXPECT_EQ(r.header("access-control-allow-origin"), "*") << what;
  }

  MonolithServer server_{"", {{"REQUEST_TIMEOUT_MS", "700"}}};
  std::map<std::string, std::string> before_;
};

TEST_F(MonolithBadInput, RequestsTheApiRejects) {
  const std::string id = known_id();
  const std::string long_id(65, 'a');
  const std::vector<BadRequest> cases = {
      {"id with a bang", "GET", "/mysfits/bad!id", 400, ""},
      {"id with a dot", "POST", "/mysfits/bad.id/like", 400, ""},
      {"id of 65 chars", "POST", "/mysfits/" + long_id + "/adopt", 400, ""},
      {"id percent-encoded", "GET", "/mysfits/%2e%2e", 400, ""},
      {"id with unicode", "POST", "/mysfits/caf%C3%A9/fulfill-like", 400, ""},
      {"id bad on fulfill-adopt", "POST", "/mysfits/a_b/fulfill-adopt", 400, ""},
      {"unknown id", "GET", "/mysfits/no-such-mysfit", 404, ""},
      {"like unknown id", "POST", "/mysfits/no-such-mysfit/like", 404, ""},
      {"adopt unknown id", "POST", "/mysfits/no-such-mysfit/adopt", 404, ""},
      {"fulfill-like unknown id", "POST", "/mysfits/no-such-mysfit/fulfill-like", 404, ""},
      {"unknown filter", "GET", "/mysfits?filter=Name&value=CoCo", 400, ""},
      {"filter in the wrong case", "GET", "/mysfits?filter=goodevil&value=Good", 400, ""},
      {"filter without value", "GET", "/mysfits?filter=GoodEvil", 400, ""},
      {"filter with empty value", "GET", "/mysfits?filter=LawChaos&value=", 400, ""},
      {"value without filter", "GET", "/mysfits?value=Good", 400, ""},
      {"filter twice", "GET", "/mysfits?filter=GoodEvil&filter=LawChaos&value=Good", 400, ""},
      {"broken percent-encoding", "GET", "/mysfits?filter=GoodEvil&value=%zz", 400, ""},
      {"overlong filter value", "GET", "/mysfits?filter=GoodEvil&value=" + std::string(100, 'G'),
       400, ""},
      {"DELETE the list", "DELETE", "/mysfits", 405, "GET"},
      {"PUT a profile", "PUT", "/mysfits/" + id, 405, "GET"},
      {"GET a like", "GET", "/mysfits/" + id + "/like", 405, "POST"},
      {"PATCH an adoption", "PATCH", "/mysfits/" + id + "/adopt", 405, "POST"},
      {"POST the root", "POST", "/", 405, "GET"},
      {"unknown route", "GET", "/nope", 404, ""},
      {"unknown action", "POST", "/mysfits/" + id + "/pet", 404, ""},
      {"trailing slash", "GET", "/mysfits/", 404, ""},
      {"empty id", "POST", "/mysfits//like", 404, ""},
  };
  for (const auto& c : cases) {
    auto r = http(server_.port(), c.method, c.target);
    ASSERT_TRUE(r.ok) << c.name << ": " << r.error;
    EXPECT_EQ(r.status, c.status) << c.name << ": " << r.body;
    expect_error_body(r, c.name);
    if (!c.allow.empty()) {
      EXPECT_NE(r.header("allow").find(c.allow), std::string::npos)
          << c.name << ": Allow is '" << r.header("allow") << "'";
    }
  }
}

TEST_F(MonolithBadInput, AdoptingTwiceIs409AndKeepsTheFirstAdoption) {
  const std::string id = known_id();
  ASSERT_EQ(server_.post("/mysfits/" + id + "/adopt").status, 200);
  before_ = server_.snapshot();
  auto again = server_.post("/mysfits/" + id + "/adopt");
  EXPECT_EQ(again.status, 409);
  expect_error_body(again, "second adopt");
}

TEST_F(MonolithBadInput, MalformedAndOversizedBytesOnTheWire) {
  const std::string like = "POST /mysfits/" + known_id() + "/like HTTP/1.1\r\nHost: x\r\n";
  const std::vector<BadBytes> cases = {
      {"garbage bytes", std::string("\x01\x02\xff garbage\r\n\r\n", 15), 400},
      {"no HTTP version", "GET /mysfits\r\n\r\n", 400},
      {"bad header line", "GET /mysfits HTTP/1.1\r\nHost x\r\n\r\n", 400},
      {"bad content length", like + "Content-Length: abc\r\n\r\n", 400},
      {"two content lengths", like + "Content-Length: 1\r\nContent-Length: 2\r\n\r\n{}", 400},
      {"header over 16 KiB",
       "GET /mysfits HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(17 * 1024, 'a') + "\r\n\r\n",
       431},
      {"one header over 64 KiB",
       "GET /mysfits HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(70 * 1024, 'a') + "\r\n\r\n",
       431},
      {"headers over 64 KiB in total",
       [] {
         std::string r = "GET /mysfits HTTP/1.1\r\nHost: x\r\n";
         for (int i = 0; i < 6; ++i)
           r += "X-Part-" + std::to_string(i) + ": " + std::string(12 * 1024, 'b') + "\r\n";
         return r + "\r\n";
       }(),
       431},
      {"request line over 16 KiB",
       "GET /mysfits/" + std::string(17 * 1024, 'c') + " HTTP/1.1\r\nHost: x\r\n\r\n", 414},
      {"request line over 64 KiB",
       "GET /mysfits/" + std::string(70 * 1024, 'c') + " HTTP/1.1\r\nHost: x\r\n\r\n", 414},
      {"body over 1 MiB announced", like + "Content-Length: 2000000\r\n\r\n{}", 413},
  };
  for (const auto& c : cases) {
    auto raw = raw_exchange(server_.port(), c.bytes);
    auto r = parse_raw_response(raw);
    EXPECT_EQ(r.status, c.status) << c.name << ": " << raw.substr(0, 200);
    expect_error_body(r, c.name);
  }
}

// A client that streams a body past the limit: the 413 must reach it even though the server
// stops reading, and the server must not buffer the rest.
TEST_F(MonolithBadInput, OversizedChunkedBodyIs413) {
  RawConnection c(server_.port());
  ASSERT_TRUE(c.connected());
  std::string head = "POST /mysfits/" + known_id() +
                     "/like HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
  ASSERT_TRUE(c.send(head));
  const std::string chunk = "10000\r\n" + std::string(0x10000, 'x') + "\r\n";
  for (int i = 0; i < 17 && c.send(chunk); ++i) {
  }
  auto r = parse_raw_response(c.read_response());
  EXPECT_EQ(r.status, 413);
  expect_error_body(r, "chunked body over 1 MiB");
}

// The half request: headers never finished. The read timeout (700 ms here) closes it, and
// while it hangs other clients are served.
TEST_F(MonolithBadInput, HalfARequestIsClosedByTheReadTimeout) {
  RawConnection silent(server_.port());
  ASSERT_TRUE(silent.send("POST /mysfits/" + known_id() + "/like HTTP/1.1\r\nHost: x\r\n"));
  RawConnection half_body(server_.port());
  ASSERT_TRUE(half_body.send("POST /mysfits/" + known_id() +
                             "/like HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n{"));
  EXPECT_EQ(server_.get("/mysfits").status, 200) << "others are served meanwhile";
  EXPECT_TRUE(silent.closed_by_peer(std::chrono::seconds(10)));
  EXPECT_TRUE(half_body.closed_by_peer(std::chrono::seconds(10)));
}

}  // namespace
}  // namespace mysfits::testing
